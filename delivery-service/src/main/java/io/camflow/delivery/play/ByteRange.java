package io.camflow.delivery.play;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a representation of known length, from a {@code Range} header (RFC 9110
 * 14.1.2): {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. Several ranges in one header
 * are answered with the whole representation (the RFC allows ignoring Range; no player asks for
 * more than one).
 *
 * @param first the first byte sent
 * @param last the last byte sent (inclusive)
 */
public record ByteRange(long first, long last) {

  private static final Pattern ONE = Pattern.compile("bytes=(\\d{0,40})-(\\d{0,40})");

  /** What a Range header asks of a representation. */
  public sealed interface Asked {}

  /** No Range header, or one to ignore: the whole representation, 200. */
  public record Whole() implements Asked {}

  /** One satisfiable range: 206. */
  public record Part(ByteRange range) implements Asked {}

  /** A range that starts past the end: 416. */
  public record Unsatisfiable() implements Asked {}

  public long length() {
    return last - first + 1;
  }

  /** The Content-Range of this range of a representation of {@code total} bytes. */
  public String contentRange(long total) {
    return "bytes " + first + "-" + last + "/" + total;
  }

  /** What {@code header} (null when absent) asks of {@code length} bytes. */
  public static Asked of(String header, long length) {
    if (header == null) {
      return new Whole();
    }
    Matcher m = ONE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return new Whole(); // several ranges, another unit, or not a range at all
    }
    Optional<Long> a = number(m.group(1));
    Optional<Long> b = number(m.group(2));
    if (a.isEmpty()) { // suffix: the last n bytes
      long n = b.orElse(0L);
      if (n == 0 || length == 0) {
        return new Unsatisfiable();
      }
      return new Part(new ByteRange(Math.max(0, length - n), length - 1));
    }
    long first = a.get();
    if (first >= length) {
      return new Unsatisfiable();
    }
    long last = b.map(v -> Math.min(v, length - 1)).orElse(length - 1);
    if (last < first) {
      return new Whole(); // invalid: ignored
    }
    return new Part(new ByteRange(first, last));
  }

  private static Optional<Long> number(String digits) {
    if (digits.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return Optional.of(Long.MAX_VALUE);
    }
  }
}
