package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.camflow.delivery.auth.SigningKeys.Lookup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When {@link SigningKeys} fetches the realm's keys, and what it answers meanwhile. */
class SigningKeysTest {

  static final RSAKey K1 = TokenVerifierTest.generate("k1");
  static final RSAKey K2 = TokenVerifierTest.generate("k2");

  long now = 1_000_000_000L;
  final List<RSAKey> published = new ArrayList<>(List.of(K1));
  boolean reachable = true;
  int fetches;
  final SigningKeys keys =
      new SigningKeys(
          () -> {
            fetches++;
            if (!reachable) {
              throw new IOException("connection refused");
            }
            return new JWKSet(
                published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList());
          },
          Duration.ofSeconds(10),
          () -> now);

  @Test
  void keptKeysAnswerWithoutFetching() {
    assertEquals(Lookup.KNOWN, keys.find("k1", true), "the first token fetches");
    for (int i = 0; i < 100; i++) {
      assertEquals(Lookup.KNOWN, keys.find("k1", true));
    }
    assertEquals(1, fetches);
    assertEquals(1, keys.fetches());
  }

  @Test
  void anUnknownKidFetchesAtMostOncePerInterval() {
    keys.find("k1", true);
    now += Duration.ofSeconds(10).toNanos();
    assertEquals(Lookup.UNKNOWN, keys.find("forged-0", true), "fetched: not the realm's");
    for (int i = 1; i < 1000; i++) {
      assertEquals(Lookup.NOT_YET, keys.find("forged-" + i, true));
    }
    assertEquals(2, fetches, "a spray of forged key ids fetches once per interval");
    assertEquals(10, keys.secondsUntilNextFetch());
    published.add(K2); // the realm rotates
    now += Duration.ofSeconds(10).toNanos();
    assertEquals(Lookup.KNOWN, keys.find("k2", true), "the rotated key, without a restart");
    assertEquals(3, fetches);
  }

  @Test
  void aCallerThatMayNotFetchGetsUnknown() {
    assertEquals(Lookup.KNOWN, keys.find("k1", false), "no keys yet: fetched whoever asks");
    now += Duration.ofMinutes(1).toNanos();
    assertEquals(Lookup.UNKNOWN, keys.find("forged", false));
    assertEquals(Lookup.KNOWN, keys.find("k1", false), "its valid tokens still check");
    assertEquals(1, fetches);
  }

  @Test
  void anUnreachableRealmKeepsTheKeysInUse() {
    reachable = false;
    assertEquals(Lookup.UNREACHABLE, keys.find("k1", true));
    assertEquals(Lookup.UNREACHABLE, keys.find("k1", true), "not tried again within the interval");
    assertEquals(1, fetches);
    reachable = true;
    now += Duration.ofSeconds(10).toNanos();
    assertEquals(Lookup.KNOWN, keys.find("k1", true));
    reachable = false;
    now += SigningKeys.MAX_AGE.toNanos();
    assertEquals(
        Lookup.KNOWN, keys.find("k1", true), "old keys are fetched again; failing that, kept");
    assertEquals(3, fetches);
    now += Duration.ofSeconds(10).toNanos();
    assertEquals(
        Lookup.UNREACHABLE, keys.find("k2", true), "an unknown kid while the realm is away");
  }

  @Test
  void oldKeysAreFetchedAgainSoARemovedKeyStopsWorking() {
    published.add(K2);
    keys.find("k2", true);
    published.remove(K2);
    now += SigningKeys.MAX_AGE.toNanos();
    assertEquals(Lookup.UNKNOWN, keys.find("k2", true));
    assertEquals(2, fetches);
  }
}
