package io.camflow.ingest.config;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stream URL split into the URI camflow keeps and the credentials it must not keep there. {@code
 * rtsp://user:pass@host/path} gives URI {@code rtsp://host/path}, username {@code user} and
 * password {@code pass} (percent-decoded). Like Go's {@code url.Parse}, the last {@code @} before
 * the path ends the credentials, so an unencoded {@code @} in a password still works.
 *
 * <p>Parse errors never repeat the URL: it may carry a password.
 */
record StreamUrl(URI uri, String username, String password) {

  private static final Pattern SCHEME =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+]");
  private static final String SHAPES =
      "rtsp://host[:port]/path, rtsps://host[:port]/path or synthetic:<pattern>";

  boolean hasCredentials() {
    return username != null || password != null;
  }

  /**
   * @param quote how to show the scheme in a message (the loader hides text that contains a secret)
   * @throws IllegalArgumentException saying what is wrong
   */
  static StreamUrl parse(String text, UnaryOperator<String> quote) {
    Matcher m = SCHEME.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a URL; expected " + SHAPES);
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String rest = m.group(2);
    if (!StreamConfig.SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException(
          "unsupported scheme " + quote.apply(m.group(1)) + "; camflow pulls " + SHAPES);
    }
    return scheme.equals("synthetic") ? synthetic(rest) : rtsp(scheme, rest);
  }

  private static StreamUrl synthetic(String rest) {
    if (rest.isEmpty() || rest.startsWith("/")) {
      throw new IllegalArgumentException(
          "write synthetic:<pattern>[?options], " + "e.g. synthetic:testsrc?size=1280x720&rate=25");
    }
    return new StreamUrl(toUri("synthetic:" + rest), null, null);
  }

  private static StreamUrl rtsp(String scheme, String rest) {
    if (!rest.startsWith("//")) {
      throw new IllegalArgumentException("expected " + scheme + "://host[:port]/path");
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
      throw new IllegalArgumentException("no host; expected rtsp://host[:port]/path");
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
      throw new IllegalArgumentException(
          "invalid host name; expected rtsp://host[:port]/path "
              + "(percent-encode special characters of a password in the URL, or use username/password)");
    }
    if (port != null && !validPort(port)) {
      throw new IllegalArgumentException("invalid port; expected a number from 1 to 65535");
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
      throw new IllegalArgumentException(
          "malformed URL: " + e.getReason().toLowerCase(Locale.ROOT) + where);
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
        throw new IllegalArgumentException(
            "a '%' in the credentials is not followed by two hex "
                + "digits; write %25 for a literal %");
      }
      bytes.write(hi * 16 + lo);
      i = percent + 3;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
