package io.camflow.registry;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as camflow.yaml writes them ({@code 500ms}, {@code 10s}, {@code 1h30m}, {@code 7d};
 * {@code 0} without unit), for the API. The same rules as ingest's {@code DurationValue}, which
 * registry cannot use (services never depend on each other); ingest's {@code DurationTextTest}
 * checks both against the same cases.
 */
public final class DurationText {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final long LARGEST_MS = Duration.ofDays(36_500).toMillis();

  private DurationText() {}

  /** @throws IllegalArgumentException saying what is wrong, without repeating the text */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty; write e.g. 10s (units: ms, s, m, h or d)");
    }
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    BigDecimal ms = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      m.region(at, s.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException("is not a duration; write e.g. 500ms, 10s, 5m, 24h or 7d");
      }
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 86_400_000L;
      };
      ms = ms.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
      at = m.end();
    }
    if (ms.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("is finer than a millisecond");
    }
    if (ms.compareTo(BigDecimal.valueOf(LARGEST_MS)) > 0) {
      throw new IllegalArgumentException("is longer than 36500d");
    }
    return Duration.ofMillis(ms.longValueExact());
  }
}
