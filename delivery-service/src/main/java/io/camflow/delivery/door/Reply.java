package io.camflow.delivery.door;

import io.camflow.media.hls.HlsNames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An HTTP answer before it meets the wire: status, Content-Type, Cache-Control, the body as the
 * window's shared chunk buffers (written out without copying them per viewer) and any further
 * headers (WWW-Authenticate, Retry-After, ...).
 */
public record Reply(
    int status,
    String contentType,
    String cacheControl,
    List<byte[]> body,
    Map<String, String> headers) {

  /** Media never changes once it has a name: cache it for a year (RFC 8246 immutable). */
  public static final String IMMUTABLE = "max-age=31536000, immutable";

  public static final String NO_CACHE = "no-cache";
  public static final String TEXT = "text/plain; charset=utf-8";

  public Reply {
    headers = Map.copyOf(headers);
  }

  public Reply(int status, String contentType, String cacheControl, List<byte[]> body) {
    this(status, contentType, cacheControl, body, Map.of());
  }

  /** This reply with one more header. */
  public Reply withHeader(String name, String value) {
    Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(name, value);
    return new Reply(status, contentType, cacheControl, body, h);
  }

  public static Reply text(int status, String message) {
    return new Reply(
        status, TEXT, NO_CACHE, List.of((message + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  public static Reply playlist(String text) {
    return new Reply(
        200,
        HlsNames.PLAYLIST_CONTENT_TYPE,
        NO_CACHE,
        List.of(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A rendered playlist shared by every request for it (not copied per request). */
  public static Reply playlist(byte[] utf8) {
    return new Reply(200, HlsNames.PLAYLIST_CONTENT_TYPE, NO_CACHE, List.of(utf8));
  }

  public static Reply media(String contentType, List<byte[]> chunks) {
    return new Reply(200, contentType, IMMUTABLE, chunks);
  }

  public boolean isPlaylist() {
    return status == 200 && HlsNames.PLAYLIST_CONTENT_TYPE.equals(contentType);
  }

  public int length() {
    int n = 0;
    for (byte[] b : body) {
      n += b.length;
    }
    return n;
  }

  /** The body as one array (tests, gzip). */
  public byte[] bytes() {
    if (body.size() == 1) {
      return body.get(0);
    }
    byte[] out = new byte[length()];
    int at = 0;
    for (byte[] b : body) {
      System.arraycopy(b, 0, out, at, b.length);
      at += b.length;
    }
    return out;
  }
}
