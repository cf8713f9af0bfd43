package io.camflow.media.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Number, date and URI formatting shared by the playlist classes. Package-private. */
final class HlsFormat {

  /** Durations are written with five decimals: 10 µs, finer than any frame interval. */
  static final long UNITS_PER_SECOND = 100_000;

  /** Slack for float noise when comparing values that were meant to be equal. */
  static final double EPSILON = 1e-9;

  private static final DateTimeFormatter PDT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private HlsFormat() {}

  /** {@code seconds} in 10 µs units, rounded half up. */
  static long units(double seconds) {
    return Math.round(seconds * UNITS_PER_SECOND);
  }

  /** {@code seconds} in 10 µs units, rounded up (a few ulps of float noise are not rounded up). */
  static long unitsCeil(double seconds) {
    return (long) Math.ceil(seconds * UNITS_PER_SECOND - 1e-6);
  }

  /**
   * The EXTINF value as a client reads it (five decimals), rounded to the nearest integer: what
   * 4.4.3.1 compares with the target duration.
   */
  static long roundedWholeSeconds(double seconds) {
    return (units(seconds) + UNITS_PER_SECOND / 2) / UNITS_PER_SECOND;
  }

  /** Writes {@code units} (10 µs) as a decimal-floating-point with five decimals. */
  static StringBuilder appendUnits(StringBuilder out, long units) {
    out.append(units / UNITS_PER_SECOND).append('.');
    String fraction = Long.toString(units % UNITS_PER_SECOND);
    for (int i = fraction.length(); i < 5; i++) {
      out.append('0');
    }
    return out.append(fraction);
  }

  /** {@code seconds} with five decimals, rounded half up: {@code 2.00000}, {@code 0.33333}. */
  static String seconds(double seconds) {
    return appendUnits(new StringBuilder(16), units(seconds)).toString();
  }

  /** ISO-8601 in UTC with milliseconds (truncated) and a {@code Z}: 2026-05-13T10:15:30.040Z. */
  static String programDateTime(Instant instant) {
    return PDT.format(instant);
  }

  /**
   * Checks a URI that will be written as a URI line or inside a quoted-string (RFC 8216bis 4.2: a
   * quoted-string must not contain CR, LF or '"'; 4.1: no control characters, no whitespace).
   */
  static String requireUri(String what, String uri) {
    if (uri == null || uri.isEmpty()) {
      throw new IllegalArgumentException(what + " URI is missing");
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c == '"' || c >= 0x7f && c <= 0x9f) {
        throw new IllegalArgumentException(
            what + " URI '" + uri.strip() + "' contains whitespace, a control character or '\"'");
      }
    }
    return uri;
  }

  static double requireDuration(String what, double seconds) {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(
          what + " duration must be a positive number of seconds, was " + seconds);
    }
    return seconds;
  }
}
