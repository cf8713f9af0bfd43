package io.camflow.media;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The codecs camflow carries. The {@link #id()} is the stable wire name used in Kafka headers, the
 * REST API and configuration; never persist {@link #name()}.
 */
public enum Codec {
  H264("h264", true),
  H265("h265", true),
  AAC("aac", false),
  PCMU("pcmu", false),
  PCMA("pcma", false);

  private final String id;
  private final boolean video;

  Codec(String id, boolean video) {
    this.id = id;
    this.video = video;
  }

  /** The lower-case wire id, e.g. {@code "h264"}. */
  public String id() {
    return id;
  }

  public boolean isVideo() {
    return video;
  }

  /**
   * The codec with this wire id. Case-insensitive, because SDP and humans write {@code H264}.
   *
   * @throws IllegalArgumentException if the id is null or names no known codec
   */
  public static Codec fromId(String id) {
    if (id != null) {
      String wanted = id.trim().toLowerCase(Locale.ROOT);
      for (Codec codec : values()) {
        if (codec.id.equals(wanted)) {
          return codec;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown codec id '"
            + id
            + "'; expected one of "
            + Arrays.stream(values()).map(Codec::id).collect(Collectors.joining(", ")));
  }
}
