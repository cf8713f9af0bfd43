package io.camflow.media.record;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One picture of a stream's recording as its thumbnail topic ({@code
 * camflow.thumbs.<camera>.<stream>}) holds it: a small JPEG of a keyframe, sampled by the packager
 * at most once per interval, with the keyframe's capture time as the record's Kafka timestamp. The
 * DVR timeline shows them; a reader finds the one nearest an instant with {@code offsetsForTimes}
 * and no decoding (docs/record-format.md, "Thumbnails").
 *
 * @param session the source session of the keyframe
 * @param sourceOffset the keyframe's offset in the media topic
 * @param width the picture's width in pixels
 * @param height its height
 * @param captureMillis when the camera took the keyframe (wall clock, ms since the epoch)
 * @param jpeg the JPEG file
 */
public record Thumbnail(
    String session, long sourceOffset, int width, int height, long captureMillis, byte[] jpeg) {

  static final String KIND_VALUE = "thumbnail";

  /** The largest thumbnail a reader accepts: a 480 px JPEG is far smaller. */
  public static final int MAX_BYTES = 256 * 1024;

  public Thumbnail {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("a thumbnail is " + width + " x " + height + " px");
    }
    if (jpeg == null || jpeg.length == 0 || jpeg.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a thumbnail's JPEG is 1 to "
              + MAX_BYTES
              + " bytes, was "
              + (jpeg == null ? 0 : jpeg.length));
    }
  }

  /** The record's headers (UTF-8 text, as the CMAF topic's). */
  public Map<String, byte[]> headers() {
    Map<String, byte[]> h = new LinkedHashMap<>();
    put(h, CmafRecord.KIND, KIND_VALUE);
    put(h, CmafRecord.SESSION, session);
    put(h, CmafRecord.SOURCE_OFFSET, sourceOffset);
    put(h, CmafRecord.WIDTH, width);
    put(h, CmafRecord.HEIGHT, height);
    return h;
  }

  /**
   * Reads a thumbnail back.
   *
   * @param timestampMillis the record's Kafka timestamp
   * @throws IllegalArgumentException naming a missing or malformed header, or a value that is not a
   *     JPEG of a sane size
   */
  public static Thumbnail decode(Map<String, byte[]> headers, byte[] value, long timestampMillis) {
    String kind = text(headers, CmafRecord.KIND);
    if (!KIND_VALUE.equals(kind)) {
      throw new IllegalArgumentException("not a thumbnail: kind '" + kind + "'");
    }
    if (value == null
        || value.length < 4
        || (value[0] & 0xff) != 0xff
        || (value[1] & 0xff) != 0xd8) {
      throw new IllegalArgumentException("a thumbnail's value is not a JPEG");
    }
    return new Thumbnail(
        text(headers, CmafRecord.SESSION),
        number(headers, CmafRecord.SOURCE_OFFSET),
        (int) number(headers, CmafRecord.WIDTH),
        (int) number(headers, CmafRecord.HEIGHT),
        timestampMillis,
        value);
  }

  private static void put(Map<String, byte[]> h, String name, Object value) {
    RecordHeaders.put(h, name, value);
  }

  private static String text(Map<String, byte[]> h, String name) {
    return RecordHeaders.text(h, name, "thumbnail");
  }

  private static long number(Map<String, byte[]> h, String name) {
    return RecordHeaders.number(h, name, "thumbnail");
  }

  @Override
  public String toString() {
    return "Thumbnail["
        + width
        + "x"
        + height
        + " at "
        + captureMillis
        + " ms, "
        + jpeg.length
        + " bytes, media offset "
        + sourceOffset
        + "]";
  }
}
