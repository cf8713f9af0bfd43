package io.camflow.delivery.hls;

import io.camflow.media.hls.HlsNames;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An HTTP answer before it meets the wire: status, Content-Type, Cache-Control and the body as the
 * window's shared chunk buffers (written out without copying them per viewer).
 */
public record Reply(int status, String contentType, String cacheControl, List<byte[]> body) {

  /** Media never changes once it has a name: cache it for a year (RFC 8246 immutable). */
  public static final String IMMUTABLE = "max-age=31536000, immutable";
  public static final String NO_CACHE = "no-cache";
  public static final String TEXT = "text/plain; charset=utf-8";

  public static Reply text(int status, String message) {
    return new Reply(status, TEXT, NO_CACHE, List.of((message + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  public static Reply playlist(String text) {
    return new Reply(200, HlsNames.PLAYLIST_CONTENT_TYPE, NO_CACHE,
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
