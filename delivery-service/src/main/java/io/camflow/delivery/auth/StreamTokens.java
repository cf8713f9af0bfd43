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
 * <p>A live token is {@code 1.<exp>.<mac>}: version, expiry in epoch seconds, and the first 16
 * bytes of HMAC-SHA256 over the version, the stream, the scope {@code live} and the expiry,
 * base64url. It is not tied to a viewer: every viewer of a stream gets the same token for a while
 * (until half its lifetime is gone), so a rendered playlist is shared by all of them.
 *
 * <p>A recording's token is {@code d.<exp>.<from>.<to>.<mac>}: it opens the stretch of the
 * recording its playlist covers ({@code from} to {@code to}, ms; {@code to} 0 for a playlist that
 * runs to the live edge) and nothing before or after it, nor anything live; the MAC covers the
 * range, the scope {@code dvr}, the stream and the expiry. One per playlist. Any instance holding
 * the same key accepts either kind. Checking one is a MAC, no I/O.
 */
public final class StreamTokens {

  public static final String PARAM = "st";
  private static final String VERSION = "1";
  private static final String DVR_VERSION = "d";

  /** Longer than any token made here (a recording's, with its range, is about 65 characters). */
  private static final int MAX_TOKEN = 96;

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
   * The query for the media URIs of a playlist of {@code stream}'s recording: a token that opens
   * the recording from {@code fromMillis} to {@code toMillis} (0: to the live edge), and neither
   * the rest of it nor anything live; no live token opens the recording.
   */
  public String dvrQuery(StreamKey stream, long fromMillis, long toMillis) {
    if (fromMillis < 0 || toMillis < 0 || (toMillis != 0 && toMillis < fromMillis)) {
      throw new IllegalArgumentException("not a range: " + fromMillis + " to " + toMillis);
    }
    long exp = clock.instant().getEpochSecond() + ttlSeconds;
    String scope = dvrScope(fromMillis, toMillis);
    return PARAM
        + "="
        + DVR_VERSION
        + "."
        + exp
        + "."
        + fromMillis
        + "."
        + toMillis
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac(DVR_VERSION, stream, scope, exp));
  }

  private static String dvrScope(long fromMillis, long toMillis) {
    return SCOPE_DVR + " " + fromMillis + "-" + toMillis;
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
        + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(VERSION, stream, scope, exp));
  }

  /**
   * Whether {@code token} is a recording token of {@code stream} (see {@link #dvrQuery}), not
   * expired, whose range holds {@code [fromMillis, toMillis]}.
   */
  public boolean validDvr(String token, StreamKey stream, long fromMillis, long toMillis) {
    if (token == null || token.length() > MAX_TOKEN) {
      return false;
    }
    String[] p = token.split("\\.", -1);
    if (p.length != 5 || !p[0].equals(DVR_VERSION)) {
      return false;
    }
    long exp = number(p[1]);
    long from = number(p[2]);
    long to = number(p[3]);
    if (exp < 0 || from < 0 || to < 0 || !fresh(exp)) {
      return false;
    }
    if (fromMillis < from || (to != 0 && toMillis > to)) {
      return false;
    }
    return macMatches(p[4], mac(DVR_VERSION, stream, dvrScope(from, to), exp));
  }

  /** A decimal of at most 15 digits, or -1. */
  private static long number(String text) {
    if (text.isEmpty() || text.length() > 15 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Long.parseLong(text);
  }

  private boolean fresh(long exp) {
    long now = clock.instant().getEpochSecond();
    return now <= exp && exp <= now + ttlSeconds + 60;
  }

  private static boolean macMatches(String given64, byte[] expected) {
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(given64);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return given.length == MAC_BYTES && MessageDigest.isEqual(given, expected);
  }

  /**
   * Whether {@code token} is a live token of {@code stream}, made with this key and not expired.
   */
  public boolean valid(String token, StreamKey stream) {
    return valid(token, stream, SCOPE_LIVE);
  }

  private boolean valid(String token, StreamKey stream, String scope) {
    if (token == null || token.length() > MAX_TOKEN) {
      return false;
    }
    String[] p = token.split("\\.", -1);
    if (p.length != 3 || !p[0].equals(VERSION)) {
      return false;
    }
    long exp = number(p[1]);
    return exp >= 0 && fresh(exp) && macMatches(p[2], mac(VERSION, stream, scope, exp));
  }

  private byte[] mac(String version, StreamKey stream, String scope, long exp) {
    Mac mac = macs.get();
    byte[] full =
        mac.doFinal(
            ("camflow-stream-token\n"
                    + version
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
