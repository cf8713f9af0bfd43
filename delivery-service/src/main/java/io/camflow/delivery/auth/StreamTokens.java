package io.camflow.delivery.auth;

import io.camflow.media.StreamKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The short-lived tokens delivery puts on the media URIs of a playlist it has authorised ({@code
 * seg-12.m4s?st=1.1763740000.<mac>}), so players fetch media without the user's JWT and a leaked
 * media URL opens one stream's media for at most the token's lifetime, nothing else.
 *
 * <p>A token is {@code 1.<exp>.<mac>}: version, expiry in epoch seconds, and the first 16 bytes of
 * HMAC-SHA256 over the version, the stream, the scope ({@code live}, or {@code dvr} for a
 * recording) and the expiry, base64url. Any instance holding the same key accepts it. It is not
 * tied to a viewer: every viewer of a stream gets the same token for a while (until half its
 * lifetime is gone), so a rendered playlist is shared by all of them. Checking one is a MAC, no
 * I/O.
 */
public final class StreamTokens {

  public static final String PARAM = "st";
  private static final String VERSION = "1";
  private static final int MAC_BYTES = 16;
  private static final String SCOPE_LIVE = "live";
  private static final String SCOPE_DVR = "dvr";

  private final SecretKeySpec key;
  private final long ttlSeconds;
  private final Clock clock;
  private final Map<String, Issued> current = new ConcurrentHashMap<>();
  private final ThreadLocal<Mac> macs;

  private record Issued(String query, long exp) {}

  public StreamTokens(byte[] key, Duration ttl, Clock clock) {
    if (key.length < AuthSettings.MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the stream token key must have at least " + AuthSettings.MIN_KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.ttlSeconds = ttl.toSeconds();
    this.clock = clock;
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /**
   * The query ({@code st=...}) for the media URIs of {@code stream}'s playlist now: the same for
   * every caller until half its lifetime is gone, then a new one.
   */
  public String query(StreamKey stream) {
    return query(stream, SCOPE_LIVE);
  }

  /**
   * The query for the media URIs of {@code stream}'s recording (DVR playlists): a token that opens
   * its recorded segments and not its live ones, nor a live token its recording.
   */
  public String dvrQuery(StreamKey stream) {
    return query(stream, SCOPE_DVR);
  }

  private String query(StreamKey stream, String scope) {
    long now = clock.instant().getEpochSecond();
    String name = scope + " " + stream;
    Issued i = current.get(name);
    if (i == null || i.exp() - now < ttlSeconds / 2) {
      long exp = now + ttlSeconds;
      i = new Issued(PARAM + "=" + mint(stream, scope, exp), exp);
      current.put(name, i);
    }
    return i.query();
  }

  /** A token for {@code stream} expiring at {@code exp} (epoch seconds). */
  public String mint(StreamKey stream, long exp) {
    return mint(stream, SCOPE_LIVE, exp);
  }

  private String mint(StreamKey stream, String scope, long exp) {
    return VERSION
        + "."
        + exp
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(stream, scope, exp));
  }

  /** Whether {@code token} is a DVR token of {@code stream} (see {@link #dvrQuery}). */
  public boolean validDvr(String token, StreamKey stream) {
    return valid(token, stream, SCOPE_DVR);
  }

  /**
   * Whether {@code token} is a live token of {@code stream}, made with this key and not expired.
   */
  public boolean valid(String token, StreamKey stream) {
    return valid(token, stream, SCOPE_LIVE);
  }

  private boolean valid(String token, StreamKey stream, String scope) {
    if (token == null || token.length() > 64) {
      return false;
    }
    int a = token.indexOf('.');
    int b = token.indexOf('.', a + 1);
    if (a < 0
        || b < 0
        || token.indexOf('.', b + 1) >= 0
        || !token.substring(0, a).equals(VERSION)) {
      return false;
    }
    String expText = token.substring(a + 1, b);
    if (expText.isEmpty()
        || expText.length() > 12
        || !expText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    long exp = Long.parseLong(expText);
    long now = clock.instant().getEpochSecond();
    if (now > exp || exp > now + ttlSeconds + 60) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(token.substring(b + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return given.length == MAC_BYTES && MessageDigest.isEqual(given, mac(stream, scope, exp));
  }

  private byte[] mac(StreamKey stream, String scope, long exp) {
    Mac mac = macs.get();
    byte[] full =
        mac.doFinal(
            ("camflow-stream-token\n"
                    + VERSION
                    + "\n"
                    + stream.camera()
                    + "/"
                    + stream.stream()
                    + "\n"
                    + scope
                    + "\n"
                    + exp)
                .getBytes(StandardCharsets.UTF_8));
    return Arrays.copyOf(full, MAC_BYTES);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
