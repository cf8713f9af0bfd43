package io.camflow.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a stream's media comes from: the stream field {@code source} of the file, the API and the
 * registry record. Not the camera's {@code source} ({@link CameraEntry#source()}: who manages the
 * camera, {@code file} or {@code api}).
 */
public enum StreamSource {
  /** Ingest pulls it from the camera at the stream's {@code url}: the default. */
  PULL("pull"),
  /**
   * An encoder pushes it into delivery's RTSP server ({@code rtsp://host:8554/<camera>/<stream>},
   * docs/rtsp.md), which writes its media topic; ingest only creates the stream's topics.
   */
  PUBLISH("publish");

  /** What a wrong value is told, in the file and the API alike. */
  public static final String RULE = "must be pull or publish";

  private final String yamlName;

  StreamSource(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling in {@code camflow.yaml}, the API and the registry record. */
  public String yamlName() {
    return yamlName;
  }

  /** Case-insensitive; empty when {@code text} names no source. */
  public static Optional<StreamSource> fromYaml(String text) {
    for (StreamSource s : values()) {
      if (s.yamlName.equals(text.strip().toLowerCase(Locale.ROOT))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
