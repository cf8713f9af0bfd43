package io.camflow.media;

import java.util.regex.Pattern;

/**
 * Names one stream of one camera: {@code <camera>/<stream>}, each part {@code
 * [a-z0-9][a-z0-9_-]{0,63}}. The same key names the stream in URLs, Kafka topics and status
 * records.
 */
public record StreamKey(String camera, String stream) {

  private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public StreamKey {
    requireValidPart("camera", camera);
    requireValidPart("stream", stream);
  }

  /** Parses {@code camera/stream}; throws IllegalArgumentException naming what is wrong. */
  public static StreamKey parse(String key) {
    if (key == null) {
      throw new IllegalArgumentException("stream key is missing");
    }
    int slash = key.indexOf('/');
    if (slash < 0 || slash != key.lastIndexOf('/')) {
      throw new IllegalArgumentException("stream key '" + key + "' must be <camera>/<stream>");
    }
    return new StreamKey(key.substring(0, slash), key.substring(slash + 1));
  }

  public static boolean isValidPart(String part) {
    return part != null && PART.matcher(part).matches();
  }

  private static void requireValidPart(String what, String value) {
    if (!isValidPart(value)) {
      throw new IllegalArgumentException(
          what + " name '" + value + "' must match [a-z0-9][a-z0-9_-]{0,63}");
    }
  }

  /** {@code camflow.media.<camera>.<stream>}: the access-unit topic of this stream. */
  public String mediaTopic() {
    return Topics.media(this);
  }

  /** {@code camflow.cmaf.<camera>.<stream>}: the packaged (CMAF) topic of this stream. */
  public String cmafTopic() {
    return Topics.cmaf(this);
  }

  /** {@code camflow.index.<camera>.<stream>}: the recording's time index of this stream. */
  public String indexTopic() {
    return Topics.index(this);
  }

  /** {@code camflow.thumbs.<camera>.<stream>}: the recording's thumbnails of this stream. */
  public String thumbsTopic() {
    return Topics.thumbs(this);
  }

  @Override
  public String toString() {
    return camera + "/" + stream;
  }
}
