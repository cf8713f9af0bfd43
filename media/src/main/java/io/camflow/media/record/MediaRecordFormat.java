package io.camflow.media.record;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Kafka record format of {@code camflow.media.<camera>.<stream>}: one record per access unit,
 * value = {@link AccessUnit#data()}, everything else in headers. Kept free of Kafka types so that
 * producer and consumers share one definition; see {@code docs/record-format.md}.
 *
 * <p>Header values are UTF-8 text (decimal numbers, {@code true}/{@code false}, codec ids), except
 * {@link #CONFIG}, which is the raw codec configuration bytes.
 */
public final class MediaRecordFormat {

  public static final String TRACK = "camflow.track";
  public static final String CODEC = "camflow.codec";
  public static final String PTS = "camflow.pts";
  public static final String DTS = "camflow.dts";
  public static final String TIMEBASE = "camflow.timebase";
  public static final String KEYFRAME = "camflow.keyframe";
  public static final String SESSION = "camflow.session";
  public static final String CONFIG = "camflow.config";

  /** When ingest had the access unit complete: wall clock, µs since the epoch (optional). */
  public static final String RECEIVED_US = "camflow.received.us";

  /**
   * The ingest instance that pulled the access unit (optional; set by ingest, read by nothing on
   * the data path).
   */
  public static final String INSTANCE = "camflow.instance";

  /** {@link #receivedMicros} of a record without {@link #RECEIVED_US}. */
  public static final long RECEIVED_UNKNOWN = Long.MIN_VALUE;

  private MediaRecordFormat() {}

  /**
   * The headers for {@code au}, in a stable order. {@link #CONFIG} is present only when the access
   * unit has a codec configuration.
   *
   * @param sourceSession id of the camera connection that produced {@code au}; new on every
   *     reconnect
   */
  public static Map<String, byte[]> headers(AccessUnit au, String sourceSession) {
    return headers(au, sourceSession, RECEIVED_UNKNOWN);
  }

  /**
   * The headers for {@code au}, with {@link #RECEIVED_US} unless {@code receivedMicros} is {@link
   * #RECEIVED_UNKNOWN}.
   *
   * @param receivedMicros when ingest had the access unit complete (wall clock, µs since the epoch)
   */
  public static Map<String, byte[]> headers(
      AccessUnit au, String sourceSession, long receivedMicros) {
    Objects.requireNonNull(au, "au");
    Objects.requireNonNull(sourceSession, "sourceSession");
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put(TRACK, text(Integer.toString(au.track())));
    headers.put(CODEC, text(au.codec().id()));
    headers.put(PTS, text(Long.toString(au.pts())));
    headers.put(DTS, text(Long.toString(au.dts())));
    headers.put(TIMEBASE, text(Integer.toString(au.timebase())));
    headers.put(KEYFRAME, text(Boolean.toString(au.keyframe())));
    headers.put(SESSION, text(sourceSession));
    if (au.codecConfig() != null) {
      headers.put(CONFIG, au.codecConfig());
    }
    if (receivedMicros != RECEIVED_UNKNOWN) {
      headers.put(RECEIVED_US, text(Long.toString(receivedMicros)));
    }
    return headers;
  }

  /**
   * Rebuilds the access unit of a record.
   *
   * @throws IllegalArgumentException naming the header that is missing or malformed, or if the
   *     value is null (a tombstone is not an access unit)
   */
  public static AccessUnit decode(Map<String, byte[]> headers, byte[] value) {
    Objects.requireNonNull(headers, "headers");
    if (value == null) {
      throw new IllegalArgumentException("media record has no value");
    }
    int track = parseInt(headers, TRACK);
    String codecId = required(headers, CODEC);
    Codec codec;
    try {
      codec = Codec.fromId(codecId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("header " + CODEC + ": " + e.getMessage(), e);
    }
    long pts = parseLong(headers, PTS);
    long dts = parseLong(headers, DTS);
    int timebase = parseInt(headers, TIMEBASE);
    if (timebase <= 0) {
      throw new IllegalArgumentException("header " + TIMEBASE + " must be > 0, was " + timebase);
    }
    if (track < 0) {
      throw new IllegalArgumentException("header " + TRACK + " must be >= 0, was " + track);
    }
    String keyframe = required(headers, KEYFRAME);
    if (!keyframe.equals("true") && !keyframe.equals("false")) {
      throw new IllegalArgumentException(
          "header " + KEYFRAME + " must be true or false, was '" + keyframe + "'");
    }
    return new AccessUnit(
        track, codec, pts, dts, timebase, keyframe.equals("true"), value, headers.get(CONFIG));
  }

  /** The source session of a record. @throws IllegalArgumentException if the header is missing */
  public static String session(Map<String, byte[]> headers) {
    return required(headers, SESSION);
  }

  /**
   * When ingest had the record's access unit complete (µs since the epoch), or {@link
   * #RECEIVED_UNKNOWN} when the header is absent or malformed: it is for measuring, never a reason
   * to reject a record.
   */
  public static long receivedMicros(Map<String, byte[]> headers) {
    byte[] raw = headers.get(RECEIVED_US);
    if (raw == null) {
      return RECEIVED_UNKNOWN;
    }
    try {
      return Long.parseLong(new String(raw, StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return RECEIVED_UNKNOWN;
    }
  }

  private static String required(Map<String, byte[]> headers, String name) {
    byte[] raw = headers.get(name);
    if (raw == null) {
      throw new IllegalArgumentException("media record lacks header " + name);
    }
    return new String(raw, StandardCharsets.UTF_8);
  }

  private static int parseInt(Map<String, byte[]> headers, String name) {
    String text = required(headers, name);
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "header " + name + " is not an integer: '" + abbreviate(text) + "'", e);
    }
  }

  private static long parseLong(Map<String, byte[]> headers, String name) {
    String text = required(headers, name);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "header " + name + " is not an integer: '" + abbreviate(text) + "'", e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
