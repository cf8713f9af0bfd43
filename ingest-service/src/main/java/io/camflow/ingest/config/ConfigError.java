package io.camflow.ingest.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file.
 *
 * @param file the file as the loader was given it, e.g. {@code config/camflow.yaml}
 * @param field dotted path of the option, e.g. {@code cameras.frontdoor.streams.main.url}; empty
 *     when the problem is the file itself (missing, empty, not YAML)
 * @param line 1-based line in the file, 0 when unknown
 * @param message what is wrong and, where it helps, what to write instead; never a secret's value
 */
public record ConfigError(String file, String field, int line, String message) {

  public ConfigError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  /** {@code config/camflow.yaml:12: cameras.frontdoor.streams.main.url: missing (...)}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(file);
    if (line > 0) {
      out.append(':').append(line);
    }
    out.append(": ");
    if (!field.isEmpty()) {
      out.append(field).append(": ");
    }
    return out.append(message).toString();
  }
}
