package io.camflow.ingest.config;

import java.util.Locale;
import java.util.Optional;

/** When ingest pulls a stream from its camera. */
public enum Mode {
  /** All the time, watched or not: needed for DVR, which records only what was pulled. */
  ALWAYS("always"),
  /** Only while someone watches, closing an idle grace period after the last viewer left. */
  ON_DEMAND("on-demand");

  private final String yamlName;

  Mode(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling in {@code camflow.yaml}. */
  public String yamlName() {
    return yamlName;
  }

  /** Case-insensitive; empty when {@code text} names no mode. */
  public static Optional<Mode> fromYaml(String text) {
    for (Mode m : values()) {
      if (m.yamlName.equals(text.toLowerCase(Locale.ROOT))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
