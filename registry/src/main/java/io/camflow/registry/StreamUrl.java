package io.camflow.registry;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stream URL split into the URI camflow keeps and the credentials it must not keep there. {@code
 * rtsp://user:pass@host/path} gives URI {@code rtsp://host/path}, username {@code user} and
 * password {@code pass} (percent-decoded). Like Go's {@code url.Parse}, the last {@code @} before
 * the path ends the credentials, so an unencoded {@code @} in a password still works.
 *
 * <p>The one parser of stream URLs: config/camflow.yaml reads its URLs with it, and the API's check
 * ({@link StreamRules#urlProblem}) is built on it. Parse errors never repeat the URL: it may carry
 * a password.
 */
public record StreamUrl(URI uri, String username, String password) {

  /**
   * The schemes camflow pulls: an API camera's URL is rtsp or rtsps, a file camera's also
   * synthetic.
   */
  public static final Set<String> SCHEMES = Set.of("rtsp", "rtsps", "synthetic");

  /** What is wrong with a URL, for a caller that words it its own way. */
  public enum Problem {
    NOT_A_URL,
    UNSUPPORTED_SCHEME,
    NOT_HIERARCHICAL,
    NO_HOST,
    INVALID_HOST,
    INVALID_PORT,
    MALFORMED,
    BAD_PERCENT_ENCODING,
    SYNTHETIC_SHAPE
  }

  /** A URL that does not parse; the message says why and never quotes the URL. */
  public static final class InvalidUrlException extends IllegalArgumentException {
    private final Problem problem;
    private final String reason;

    InvalidUrlException(Problem problem, String message, String reason) {
      super(message);
      this.problem = problem;
      this.reason = reason;
    }

    public Problem problem() {
      return problem;
    }

    /** {@link Problem#MALFORMED}: what {@link URI} found wrong, in lower case; else null. */
    public String reason() {
      return reason;
    }
  }

  private static final Pattern SCHEME =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+]");
  private static final String SHAPES =
      "rtsp://host[:port]/path, rtsps://host[:port]/path or synthetic:<pattern>";

  public boolean hasCredentials() {
    return username != null || password != null;
  }

  /**
   * @param quote how to show the scheme in a message (the loader hides text that contains a secret)
   * @throws InvalidUrlException saying what is wrong
   */
  public static StreamUrl parse(String text, UnaryOperator<String> quote) {
    Matcher m = SCHEME.matcher(text);
    if (!m.matches()) {
      throw new InvalidUrlException(Problem.NOT_A_URL, "not a URL; expected " + SHAPES, null);
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String rest = m.group(2);
    if (!SCHEMES.contains(scheme)) {
      throw new InvalidUrlException(
          Problem.UNSUPPORTED_SCHEME,
          "unsupported scheme " + quote.apply(m.group(1)) + "; camflow pulls " + SHAPES,
          null);
    }
    return scheme.equals("synthetic") ? synthetic(rest) : rtsp(scheme, rest);
  }

  private static StreamUrl synthetic(String rest) {
    if (rest.isEmpty() || rest.startsWith("/")) {
      throw new InvalidUrlException(
          Problem.SYNTHETIC_SHAPE,
          "write synthetic:<pattern>[?options], " + "e.g. synthetic:testsrc?size=1280x720&rate=25",
          null);
    }
    return new StreamUrl(toUri("synthetic:" + rest), null, null);
  }

  private static StreamUrl rtsp(String scheme, String rest) {
    if (!rest.startsWith("//")) {
      throw new InvalidUrlException(
          Problem.NOT_HIERARCHICAL, "expected " + scheme + "://host[:port]/path", null);
    }
    String afterSlashes = rest.substring(2);
    int authorityEnd = afterSlashes.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = afterSlashes.indexOf(c);
      if (at >= 0 && at < authorityEnd) {
        authorityEnd = at;
      }
    }
    String authority = afterSlashes.substring(0, authorityEnd);
    String tail = afterSlashes.substring(authorityEnd);
    String username = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
      if (username.isEmpty()) {
        username = null;
      }
    }
    checkHostAndPort(authority);
    return new StreamUrl(toUri(scheme + "://" + authority + tail), username, password);
  }

  private static void checkHostAndPort(String authority) {
    if (authority.isEmpty()) {
      throw new InvalidUrlException(
          Problem.NO_HOST, "no host; expected rtsp://host[:port]/path", null);
    }
    String host = authority;
    String port = null;
    int close = authority.lastIndexOf(']');
    int colon = authority.lastIndexOf(':');
    if (colon > close && (close >= 0 || authority.indexOf(':') == colon)) {
      host = authority.substring(0, colon);
      port = authority.substring(colon + 1);
    }
    if (!HOST.matcher(host).matches()) {
      throw new InvalidUrlException(
          Problem.INVALID_HOST,
          "invalid host name; expected rtsp://host[:port]/path "
              + "(percent-encode special characters of a password in the URL, or use username/password)",
          null);
    }
    if (port != null && !validPort(port)) {
      throw new InvalidUrlException(
          Problem.INVALID_PORT, "invalid port; expected a number from 1 to 65535", null);
    }
  }

  private static boolean validPort(String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int n = Integer.parseInt(port);
    return n >= 1 && n <= 65_535;
  }

  private static URI toUri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      String where = "";
      if (e.getIndex() >= 0 && e.getIndex() < text.length()) {
        char c = text.charAt(e.getIndex());
        where = c == ' ' ? " (a space; write %20)" : " (character '" + c + "')";
      }
      String reason = e.getReason().toLowerCase(Locale.ROOT);
      throw new InvalidUrlException(Problem.MALFORMED, "malformed URL: " + reason + where, reason);
    }
  }

  /** Percent-decoding as in URLs (a {@code +} stays a plus). */
  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      int percent = s.indexOf('%', i);
      int end = percent < 0 ? s.length() : percent;
      bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
      if (percent < 0) {
        break;
      }
      int hi = percent + 2 < s.length() ? Character.digit(s.charAt(percent + 1), 16) : -1;
      int lo = percent + 2 < s.length() ? Character.digit(s.charAt(percent + 2), 16) : -1;
      if (hi < 0 || lo < 0) {
        throw new InvalidUrlException(
            Problem.BAD_PERCENT_ENCODING,
            "a '%' in the credentials is not followed by two hex "
                + "digits; write %25 for a literal %",
            null);
      }
      bytes.write(hi * 16 + lo);
      i = percent + 3;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
