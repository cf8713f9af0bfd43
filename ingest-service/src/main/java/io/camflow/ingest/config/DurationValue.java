package io.camflow.ingest.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as {@code camflow.yaml} writes them: a number and a unit, optionally several in a row
 * ({@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 5m}, {@code 1h30m}, {@code 24h}, {@code 7d}).
 * Units are {@code ms}, {@code s}, {@code m}, {@code h} and {@code d}; {@code 0} needs no unit.
 * The same syntax as MediaMTX's (Go's {@code time.ParseDuration} plus days), to the millisecond.
 */
public final class DurationValue {

  /** No option needs more; past this a typo (a missing unit letter, an extra zero) is likelier. */
  static final Duration LARGEST = Duration.ofDays(36_500);

  private static final String UNITS = "ms, s, m, h or d";
  /** A number and the letters after it; whether those letters are a unit is checked apart. */
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([A-Za-z]*)");

  private DurationValue() {
  }

  /**
   * Parses {@code text}; throws IllegalArgumentException saying what is wrong (without repeating the
   * text, which the caller quotes if it may).
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty; write e.g. 10s (units: " + UNITS + ")");
    }
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("cannot be negative");
    }
    if (s.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("must not contain spaces; write e.g. 10s or 1h30m");
    }
    Matcher part = PART.matcher(s);
    BigDecimal millis = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      part.region(at, s.length());
      if (!part.lookingAt()) {
        throw new IllegalArgumentException(diagnose(s.substring(at)));
      }
      String unit = part.group(2);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException(at == 0 && part.end() == s.length()
            ? "has no unit; write e.g. " + s + "s (units: " + UNITS + ")"
            : "has a number without a unit (units: " + UNITS + ")");
      }
      Long size = unitMillis(unit);
      if (size == null) {
        throw new IllegalArgumentException("has an unknown unit '" + unit + "' (units: " + UNITS + ")");
      }
      millis = millis.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(size)));
      at = part.end();
    }
    if (millis.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("is finer than a millisecond");
    }
    if (millis.compareTo(BigDecimal.valueOf(LARGEST.toMillis())) > 0) {
      throw new IllegalArgumentException("is longer than " + format(LARGEST));
    }
    return Duration.ofMillis(millis.longValueExact());
  }

  /** The shortest text {@link #parse} reads back as {@code d}, e.g. {@code 1m30s}; whole milliseconds. */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration");
    }
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      long n = ms / sizes[i];
      if (n > 0) {
        out.append(n).append(units[i]);
        ms -= n * sizes[i];
      }
    }
    return out.toString();
  }

  private static Long unitMillis(String unit) {
    return switch (unit) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      case "d" -> 86_400_000L;
      default -> null;
    };
  }

  private static String diagnose(String rest) {
    if (rest.startsWith("P") || rest.startsWith("p")) {
      return "is ISO-8601; write e.g. 10s, 5m or 24h instead (units: " + UNITS + ")";
    }
    return "is not a duration; write e.g. 500ms, 10s, 5m, 24h or 7d";
  }
}
