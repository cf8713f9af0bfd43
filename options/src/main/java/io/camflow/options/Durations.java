package io.camflow.options;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as camflow writes them everywhere, in {@code camflow.yaml}, in environment variables
 * and in the API: a number and a unit, optionally several in a row ({@code 500ms}, {@code 10s},
 * {@code 1.5s}, {@code 5m}, {@code 1h30m}, {@code 24h}, {@code 7d}). Units are {@code ms}, {@code
 * s}, {@code m}, {@code h} and {@code d}; {@code 0} needs no unit. The same syntax as MediaMTX's
 * (Go's {@code time.ParseDuration} plus days), to the millisecond; the few options that need finer
 * steps (the packager's part target) read {@code us} too, to the microsecond ({@link #parseFine}).
 */
public final class Durations {

  /** No option needs more; past this a typo (a missing unit letter, an extra zero) is likelier. */
  static final Duration LARGEST = Duration.ofDays(36_500);

  private static final String UNITS = "ms, s, m, h or d";
  private static final String FINE_UNITS = "us, ms, s, m, h or d";

  /** A number and the letters after it; whether those letters are a unit is checked apart. */
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([A-Za-z]*)");

  private Durations() {}

  /**
   * Parses {@code text}, to the millisecond; throws IllegalArgumentException saying what is wrong
   * (without repeating the text, which the caller quotes if it may).
   */
  public static Duration parse(String text) {
    return parse(text, false);
  }

  /** As {@link #parse}, to the microsecond, {@code us} among the units. */
  public static Duration parseFine(String text) {
    return parse(text, true);
  }

  private static Duration parse(String text, boolean fine) {
    String units = fine ? FINE_UNITS : UNITS;
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty; write e.g. 10s (units: " + units + ")");
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
    BigDecimal micros = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      part.region(at, s.length());
      if (!part.lookingAt()) {
        throw new IllegalArgumentException(diagnose(s.substring(at)));
      }
      String unit = part.group(2);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException(
            at == 0 && part.end() == s.length()
                ? "has no unit; write e.g. " + s + (fine ? "ms" : "s") + " (units: " + units + ")"
                : "has a number without a unit (units: " + units + ")");
      }
      Long size = unitMicros(unit);
      if (size == null || size == 1 && !fine) {
        throw new IllegalArgumentException(
            "has an unknown unit '" + unit + "' (units: " + units + ")");
      }
      micros = micros.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(size)));
      at = part.end();
    }
    BigDecimal step = BigDecimal.valueOf(fine ? 1 : 1000);
    if (micros.remainder(step).signum() != 0) {
      throw new IllegalArgumentException(
          fine ? "is finer than a microsecond" : "is finer than a millisecond");
    }
    if (micros.compareTo(BigDecimal.valueOf(LARGEST.toMillis() * 1000)) > 0) {
      throw new IllegalArgumentException("is longer than " + format(LARGEST));
    }
    return Duration.ofNanos(micros.longValueExact() * 1000);
  }

  /**
   * The shortest text {@link #parse} (or, below a millisecond, {@link #parseFine}) reads back as
   * {@code d}, e.g. {@code 1m30s}, {@code 333ms340us}; whole microseconds.
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration");
    }
    long us = d.toNanos() / 1000;
    if (us == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long[] sizes = {86_400_000_000L, 3_600_000_000L, 60_000_000L, 1_000_000L, 1_000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms", "us"};
    for (int i = 0; i < sizes.length; i++) {
      long n = us / sizes[i];
      if (n > 0) {
        out.append(n).append(units[i]);
        us -= n * sizes[i];
      }
    }
    return out.toString();
  }

  private static Long unitMicros(String unit) {
    return switch (unit) {
      case "us" -> 1L;
      case "ms" -> 1_000L;
      case "s" -> 1_000_000L;
      case "m" -> 60_000_000L;
      case "h" -> 3_600_000_000L;
      case "d" -> 86_400_000_000L;
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
