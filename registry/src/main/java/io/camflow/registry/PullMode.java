package io.camflow.registry;

import io.camflow.options.StreamOptions;
import java.util.Locale;
import java.util.Optional;

/**
 * When ingest pulls a stream from its camera: the stream setting {@code mode} of the file, the API
 * and the registry record, and the {@code rtsp:} endpoint's option. Its spellings are the choices
 * of {@link StreamOptions#MODE}.
 */
public enum PullMode {
  /** All the time, watched or not: needed for DVR, which records only what was pulled. */
  ALWAYS("always"),
  /** Only while viewer demand heartbeats arrive, closing an idle grace period after the last. */
  ON_DEMAND("on-demand");

  private final String yamlName;

  PullMode(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling in {@code camflow.yaml}, the API and the registry record. */
  public String yamlName() {
    return yamlName;
  }

  /** Case-insensitive; empty when {@code text} names no mode. */
  public static Optional<PullMode> fromYaml(String text) {
    for (PullMode m : values()) {
      if (m.yamlName.equals(text.strip().toLowerCase(Locale.ROOT))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The default, {@link StreamOptions#MODE}'s. */
  public static PullMode byDefault() {
    return fromYaml(StreamOptions.MODE.defaultValue()).orElseThrow();
  }
}
