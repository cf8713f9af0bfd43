package io.camflow.ingest.source;

import io.camflow.ingest.source.tls.CameraTls;
import java.net.URI;
import java.util.Objects;

/**
 * Where a stream comes from: a URL without credentials, and the credentials kept apart so that
 * nothing that prints the address can print them; for {@code rtsps://}, how the camera's
 * certificate is checked.
 */
public record SourceAddress(URI url, String username, String password, CameraTls tls) {

  /** The port of {@code rtsps://} URLs that name none. */
  public static final int RTSPS_DEFAULT_PORT = 322;

  public SourceAddress {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(tls, "tls");
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("source URL must not carry credentials; pass them apart");
    }
  }

  /** An address whose certificate, if any, is verified fully ({@link CameraTls#VERIFY}). */
  public SourceAddress(URI url, String username, String password) {
    this(url, username, password, CameraTls.VERIFY);
  }

  public static SourceAddress of(String url) {
    return new SourceAddress(URI.create(url), null, null);
  }

  public boolean hasCredentials() {
    return username != null && !username.isEmpty();
  }

  /**
   * The URL with percent-encoded credentials, for FFmpeg only (it decodes userinfo). Never log it.
   */
  String urlWithCredentials() {
    if (!hasCredentials()) {
      return url.toString();
    }
    String s = url.toString();
    int afterScheme = s.indexOf("://") + 3;
    String userinfo =
        percentEncode(username) + (password == null ? "" : ":" + percentEncode(password));
    return s.substring(0, afterScheme) + userinfo + "@" + s.substring(afterScheme);
  }

  /**
   * The same path and query on {@code rtsp://127.0.0.1:<port>}, with the credentials: where FFmpeg
   * reads an {@code rtsps://} camera through camflow's TLS relay. Never log it.
   */
  String relayedUrlWithCredentials(int port) {
    String userinfo =
        !hasCredentials()
            ? ""
            : percentEncode(username)
                + (password == null ? "" : ":" + percentEncode(password))
                + "@";
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
    return "rtsp://" + userinfo + "127.0.0.1:" + port + path + query;
  }

  /** RFC 3986 percent-encoding of everything outside the unreserved set. */
  static String percentEncode(String s) {
    StringBuilder out = new StringBuilder(s.length() * 3);
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return url + (hasCredentials() ? " (with credentials)" : "");
  }
}
