package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.StreamKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  static final StreamKey DEMO = new StreamKey("demo", "main");
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

  final MutableClock clock = new MutableClock(T0);
  final StreamTokens tokens = new StreamTokens(KEY, Duration.ofSeconds(60), clock);

  @Test
  void aTokenOpensItsStreamUntilItExpires() {
    String t = token(tokens.query(DEMO));
    assertTrue(tokens.valid(t, DEMO));
    clock.now = T0.plusSeconds(60);
    assertTrue(tokens.valid(t, DEMO), "valid up to and including its exp second");
    clock.now = T0.plusSeconds(61);
    assertFalse(tokens.valid(t, DEMO), "expired");
  }

  @Test
  void aTokenOpensNoOtherStream() {
    String t = token(tokens.query(DEMO));
    assertFalse(tokens.valid(t, new StreamKey("demo", "sub")));
    assertFalse(tokens.valid(t, new StreamKey("garage", "main")));
    // the stream's name is not ambiguous with a differently split name
    assertFalse(tokens.valid(t, new StreamKey("dem", "omain")));
  }

  /** A recording's token opens the stretch its playlist covers, and nothing before or after. */
  @Test
  void aRecordingTokenOpensItsRangeOnly() {
    String vod = token(tokens.dvrQuery(DEMO, 10_000, 70_000));
    assertTrue(tokens.validDvr(vod, DEMO, 10_000, 10_000), "its first segment");
    assertTrue(tokens.validDvr(vod, DEMO, 68_000, 68_000), "its last segment");
    assertTrue(tokens.validDvr(vod, DEMO, 20_000, 70_000), "a clip inside it");
    assertFalse(tokens.validDvr(vod, DEMO, 8_000, 8_000), "a segment before it");
    assertFalse(tokens.validDvr(vod, DEMO, 72_000, 72_000), "a segment after it");
    assertFalse(tokens.validDvr(vod, DEMO, 20_000, 90_000), "a clip running past it");
    String event = token(tokens.dvrQuery(DEMO, 10_000, 0));
    assertTrue(
        tokens.validDvr(event, DEMO, 10_000_000, 10_000_000),
        "to the live edge: any later instant");
    assertFalse(tokens.validDvr(event, DEMO, 9_999, 9_999));
    // the range is under the MAC: widening it breaks the token
    String widened = vod.replace(".10000.70000.", ".0.70000.");
    assertNotEquals(vod, widened);
    assertFalse(tokens.validDvr(widened, DEMO, 5_000, 5_000));
    assertFalse(tokens.validDvr(vod.replace(".70000.", ".0."), DEMO, 80_000, 80_000));
    assertFalse(tokens.validDvr(vod + "x", DEMO, 10_000, 10_000));
    assertFalse(tokens.validDvr("d.1.2.3", DEMO, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> tokens.dvrQuery(DEMO, 5, 4));
  }

  /** A live token does not open the recording (which needs dvr), nor a DVR token live view. */
  @Test
  void liveAndDvrTokensOpenOnlyTheirOwnScope() {
    String live = token(tokens.query(DEMO));
    String dvr = token(tokens.dvrQuery(DEMO, 1_000, 0));
    assertNotEquals(live, dvr);
    assertTrue(tokens.validDvr(dvr, DEMO, 5_000, 5_000));
    assertFalse(tokens.valid(dvr, DEMO), "a DVR token is no live token");
    assertFalse(tokens.validDvr(live, DEMO, 5_000, 5_000), "a live token is no DVR token");
    assertFalse(tokens.validDvr(dvr, new StreamKey("demo", "sub"), 5_000, 5_000));
  }

  @Test
  void anotherKeyDoesNotAcceptIt() {
    StreamTokens other =
        new StreamTokens(
            "fedcba9876543210fedcba9876543210".getBytes(), Duration.ofSeconds(60), clock);
    assertFalse(other.valid(token(tokens.query(DEMO)), DEMO));
    StreamTokens sameKey = new StreamTokens(KEY.clone(), Duration.ofSeconds(60), clock);
    assertTrue(
        sameKey.valid(token(tokens.query(DEMO)), DEMO),
        "another instance with the shared key accepts it");
  }

  @Test
  void everyTamperingIsRefused() {
    String t = token(tokens.query(DEMO));
    String[] p = t.split("\\.");
    long exp = Long.parseLong(p[1]);
    assertFalse(tokens.valid(p[0] + "." + (exp + 30) + "." + p[2], DEMO), "extended expiry");
    assertFalse(tokens.valid("2." + p[1] + "." + p[2], DEMO), "other version");
    byte[] mac = Base64.getUrlDecoder().decode(p[2]);
    for (int i = 0; i < mac.length; i++) {
      byte[] m = mac.clone();
      m[i] ^= 1;
      assertFalse(
          tokens.valid(
              p[0] + "." + p[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(m),
              DEMO));
    }
    assertFalse(
        tokens.valid(
            p[0]
                + "."
                + p[1]
                + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, 15)),
            DEMO),
        "short mac");
    for (String junk :
        new String[] {
          "",
          ".",
          "..",
          "1..",
          "1.x.y",
          "1.-5." + p[2],
          "1.+5." + p[2],
          t + ".x",
          "1." + p[1] + "." + p[2] + "=",
          "1.99999999999999." + p[2],
          "1." + p[1] + ".!!!",
          "x".repeat(5000)
        }) {
      assertFalse(tokens.valid(junk, DEMO), junk);
    }
    assertFalse(tokens.valid(null, DEMO));
  }

  @Test
  void aTokenMintedFarInTheFutureIsRefused() {
    String far = tokens.mint(DEMO, T0.getEpochSecond() + 3600);
    assertFalse(tokens.valid(far, DEMO), "no key holder issues more than ttl + a minute");
  }

  @Test
  void viewersShareOneTokenUntilHalfItsLifeIsGone() {
    String first = tokens.query(DEMO);
    clock.now = T0.plusSeconds(29);
    assertEquals(first, tokens.query(DEMO), "same token: one rendered playlist for everyone");
    clock.now = T0.plusSeconds(31);
    String second = tokens.query(DEMO);
    assertNotEquals(first, second);
    assertTrue(
        tokens.valid(token(first), DEMO), "the previous one stays valid until its own expiry");
    assertTrue(second.startsWith("st=1."));
    assertTrue(second.matches("st=1\\.\\d+\\.[A-Za-z0-9_-]{22}"), second);
  }

  @Test
  void shortKeysAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new StreamTokens(new byte[16], Duration.ofSeconds(60), clock));
  }

  static String token(String query) {
    return query.substring("st=".length());
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
