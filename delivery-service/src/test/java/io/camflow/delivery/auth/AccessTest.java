package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * {@link Access}'s decisions with a verifier over local keys: what a failure budget refuses and
 * what it never does, and the bounds around checking new tokens. The same against the real realm:
 * AuthIT.
 */
class AccessTest {

  static final RSAKey KEY = TokenVerifierTest.generate("k1");
  static final RSAKey FORGER = TokenVerifierTest.generate("forged");

  long now = 1_000_000_000L;
  int fetches;
  final List<Runnable> held = new ArrayList<>();
  Executor executor = Runnable::run;
  final AuthSettings settings = AuthSettings.keycloak(TokenVerifierTest.ISSUER);
  final SigningKeys keys =
      new SigningKeys(
          () -> {
            fetches++;
            return new JWKSet(KEY.toPublicJWK());
          },
          Duration.ofSeconds(10),
          () -> now);
  final TokenVerifier verifier = new TokenVerifier(settings, keys, java.time.Clock.systemUTC());
  final FailureLimiter limiter = new FailureLimiter(5, Duration.ofMinutes(1), () -> now);
  final Access access =
      new Access(settings, verifier, limiter, r -> executor.execute(r), new PendingChecks(8, 3));

  static String valid(String user, String... roles) {
    return TokenVerifierTest.sign(
        KEY,
        TokenVerifierTest.claims()
            .claim("preferred_username", user)
            .claim(
                "resource_access",
                java.util.Map.of("camflow", java.util.Map.of("roles", List.of(roles))))
            .build());
  }

  static String forged(String kid) {
    return TokenVerifierTest.sign(
        new RSAKey.Builder(FORGER).keyID(kid).build(), TokenVerifierTest.claims().build());
  }

  Access.Verdict verdict(String client, String token) {
    CompletionStage<Access.Verdict> v = access.check(client, token, c -> c.mayWatchLive("demo"));
    return v.toCompletableFuture().getNow(null);
  }

  int status(String client, String token) {
    Access.Verdict v = verdict(client, token);
    return v instanceof Access.Refused r ? r.status() : 200;
  }

  @Test
  void garbageFromAnAddressNeverRefusesAValidTokenFromIt() {
    for (int i = 0; i < 26; i++) {
      assertEquals(i < 5 ? 401 : 429, status("127.0.0.1", "junk-" + i), "garbage " + i);
    }
    assertEquals(429, status("127.0.0.1", null), "no token");
    assertInstanceOf(
        Access.Granted.class,
        verdict("127.0.0.1", valid("viewer", "camera:demo:live")),
        "a new valid token");
    assertInstanceOf(
        Access.Granted.class,
        verdict("127.0.0.1", valid("viewer", "camera:demo:live")),
        "and a known one");
    assertEquals(
        403,
        status("127.0.0.1", valid("outsider")),
        "a valid token without the camera: 403, not 429");
    assertEquals(429, status("127.0.0.1", "junk-more"));
    assertEquals(401, status("192.0.2.1", "junk"), "another address has its own budget");
  }

  @Test
  void forgedKeyIdsCountAsFailuresAndFetchTheKeysBoundedly() {
    assertInstanceOf(
        Access.Granted.class, verdict("10.0.0.9", valid("viewer", "camera:demo:live")));
    assertEquals(1, fetches);
    now += Duration.ofSeconds(10).toNanos();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      statuses.add(status("198.51.100.7", forged("forged-" + i)));
    }
    assertEquals(
        List.of(401, 503, 503, 503, 503),
        statuses.subList(0, 5),
        "fetched once: not the realm's; then not yet");
    assertEquals(
        List.of(429), statuses.subList(5, 1000).stream().distinct().toList(), "then throttled");
    assertEquals(2, fetches, "one fetch for a thousand forged key ids");
    now += Duration.ofMinutes(10).toNanos(); // the interval is over long ago, the budget too
    for (int i = 0; i < 1000; i++) {
      status("198.51.100." + (i % 100), forged("again-" + i)); // from a hundred addresses at once
    }
    assertEquals(3, fetches, "still at most one fetch per interval");
    assertInstanceOf(
        Access.Granted.class,
        verdict("198.51.100.7", valid("viewer", "camera:demo:live")),
        "the throttled address's valid tokens");
  }

  @Test
  void checksOfNewTokensAreQueuedBoundedlyPerAddressAndInAll() {
    executor = held::add; // the auth threads are busy
    List<CompletionStage<Access.Verdict>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(access.check("10.0.0.1", "junk-" + i, c -> true));
    }
    Access.Refused own =
        assertInstanceOf(
            Access.Refused.class, verdict("10.0.0.1", valid("viewer", "camera:demo:live")));
    assertEquals(429, own.status(), "this address has its share queued");
    for (int i = 0; i < 5; i++) {
      waiting.add(access.check("10.0.1." + i, valid("viewer", "camera:demo:live"), c -> true));
    }
    Access.Refused full =
        assertInstanceOf(
            Access.Refused.class, verdict("10.0.2.1", valid("viewer", "camera:demo:live")));
    assertEquals(503, full.status(), "the queue is full");
    assertEquals(8, held.size());
    held.forEach(Runnable::run);
    assertTrue(waiting.stream().allMatch(w -> w.toCompletableFuture().isDone()));
    executor = Runnable::run;
    assertInstanceOf(
        Access.Granted.class,
        verdict("10.0.0.1", valid("viewer", "camera:demo:live")),
        "places are given back");
    assertInstanceOf(
        Access.Granted.class, verdict("10.0.2.1", valid("viewer", "camera:demo:live")));
  }
}
