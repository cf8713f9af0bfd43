package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link TokenVerifier} against locally made keys (the same checks run against the
 * real Keycloak in the delivery ITs): each way a token can be wrong is refused, a right one passes.
 */
class TokenVerifierTest {

  static final URI ISSUER = URI.create("http://localhost:8180/realms/camflow");
  static final RSAKey KEY = generate("k1");
  static final RSAKey OTHER = generate("k1"); // same kid, another key

  final StreamTokensTest.MutableClock clock = new StreamTokensTest.MutableClock(Instant.now());
  final TokenVerifier verifier = new TokenVerifier(AuthSettings.keycloak(ISSUER), keys(KEY), clock);

  /** The realm's keys as {@code key}'s public half, fetched at most every 10 s. */
  static SigningKeys keys(RSAKey key) {
    return new SigningKeys(
        () -> new JWKSet(key.toPublicJWK()), Duration.ofSeconds(10), System::nanoTime);
  }

  static RSAKey generate(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER.toString())
        .audience(List.of("camflow", "account"))
        .subject("u-1")
        .claim("preferred_username", "viewer")
        .claim("typ", "Bearer")
        .claim("azp", "camflow-web")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim(
            "resource_access",
            Map.of(
                "camflow",
                Map.of("roles", List.of("camera:demo:live")),
                "account",
                Map.of("roles", List.of("camera:garage:live"))));
  }

  static String sign(RSAKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String token(Consumer<JWTClaimsSet.Builder> change) {
    JWTClaimsSet.Builder b = claims();
    change.accept(b);
    return sign(KEY, b.build());
  }

  void refused(String token, String why) {
    InvalidTokenException e =
        assertThrows(InvalidTokenException.class, () -> verifier.verify(token, true), why);
    assertFalse(e.getMessage().contains(token), "the message never holds the token");
    assertFalse(e.keysUnavailable());
  }

  @Test
  void aRightTokenPassesWithItsRoles() throws Exception {
    Caller c = verifier.verify(token(b -> {}), true);
    assertEquals("viewer", c.username());
    assertEquals(Set.of("camera:demo:live"), c.roles(), "only the roles of camflow's client");
    assertTrue(c.mayWatchLive("demo"));
    assertFalse(c.mayWatchLive("garage"));
  }

  @Test
  void aSingleStringAudienceCounts() throws Exception {
    assertNotNull(verifier.verify(token(b -> b.audience("camflow")), true));
  }

  @Test
  void timeIsCheckedWithTheClockSkew() throws Exception {
    Instant now = Instant.now();
    refused(token(b -> b.expirationTime(Date.from(now.minusSeconds(60)))), "expired");
    assertNotNull(
        verifier.verify(token(b -> b.expirationTime(Date.from(now.minusSeconds(10)))), true),
        "within the skew");
    refused(token(b -> b.notBeforeTime(Date.from(now.plusSeconds(120)))), "not yet valid");
    assertNotNull(
        verifier.verify(token(b -> b.notBeforeTime(Date.from(now.plusSeconds(10)))), true),
        "within the skew");
    refused(token(b -> b.expirationTime(null)), "no exp");
  }

  @Test
  void issuerAudienceAndTypeMustFit() {
    refused(token(b -> b.issuer("http://localhost:8180/realms/other")), "wrong issuer");
    refused(token(b -> b.issuer(ISSUER + "/")), "issuer compared exactly");
    refused(token(b -> b.issuer(null)), "no issuer");
    refused(token(b -> b.audience("account")), "wrong audience");
    refused(token(b -> b.audience((String) null)), "no audience");
    refused(token(b -> b.claim("typ", "ID")), "an ID token");
    refused(token(b -> b.claim("typ", "Refresh")), "a refresh token");
  }

  @Test
  void onlyTokensOfTheAllowedClientsPass() throws Exception {
    refused(token(b -> b.claim("azp", "camflow-services")), "another client of the realm");
    refused(token(b -> b.claim("azp", "admin-cli")), "Keycloak's own admin client");
    refused(token(b -> b.claim("azp", null)), "no client named");
    refused(token(b -> b.claim("azp", List.of("camflow-web"))), "not a client id");
    assertNotNull(verifier.verify(token(b -> b.claim("azp", "camflow-web")), true));
    TokenVerifier both =
        new TokenVerifier(
            AuthSettings.keycloak(ISSUER).withClients(Set.of("camflow-web", "nvr")),
            keys(KEY),
            clock);
    assertNotNull(both.verify(token(b -> b.claim("azp", "nvr")), true), "a configured client");
  }

  @Test
  void tamperingAndForeignKeysAreRefused() throws Exception {
    String good = token(b -> {});
    String[] p = good.split("\\.");
    String payload =
        new String(Base64URL.from(p[1]).decode(), StandardCharsets.UTF_8)
            .replace("camera:demo:live", "camflow:admin\"");
    refused(
        p[0]
            + "."
            + Base64URL.encode(payload.replace("camflow:admin\"", "camflow:admin"))
            + "."
            + p[2],
        "tampered payload");
    byte[] sig = Base64URL.from(p[2]).decode();
    sig[10] ^= 1;
    refused(p[0] + "." + p[1] + "." + Base64URL.encode(sig), "tampered signature");
    refused(sign(OTHER, claims().build()), "another key with the same kid");
    refused(sign(generate("k2"), claims().build()), "an unknown kid");
  }

  @Test
  void algorithmConfusionIsRefused() throws Exception {
    String none =
        Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")
            + "."
            + Base64URL.encode(claims().build().toString())
            + ".";
    refused(none, "alg none");
    // HS256 keyed with the public key's bytes: the classic RS/HS confusion
    SignedJWT hs =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
    hs.sign(new MACSigner(KEY.toRSAPublicKey().getEncoded()));
    refused(hs.serialize(), "HMAC with the public key");
    String unknownAlg =
        Base64URL.encode("{\"alg\":\"XY512\",\"kid\":\"k1\"}")
            + "."
            + Base64URL.encode(claims().build().toString())
            + ".AAAA";
    refused(unknownAlg, "unknown algorithm");
  }

  @Test
  void whatATokenSaysNeverReachesTheReasonUnchecked() throws Exception {
    // the header is read before the signature is checked: its text is the sender's
    String typ = "x\n12:00:00.000 INFO  forged log line\u2028\u0085" + "y".repeat(500);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("k1")
                .type(new JOSEObjectType(typ))
                .build(),
            claims().build());
    jwt.sign(new RSASSASigner(KEY));
    InvalidTokenException e =
        assertThrows(InvalidTokenException.class, () -> verifier.verify(jwt.serialize(), true));
    assertFalse(
        e.getMessage().chars().anyMatch(c -> Character.isISOControl(c) || c == '\u2028'),
        e.getMessage());
    assertTrue(e.getMessage().length() <= 200, e.getMessage());
  }

  @Test
  void garbageIsRefused() {
    for (String junk :
        List.of("x", "a.b.c", "a.b", "....", "eyJ.eyJ.eyJ", "Bearer x", "x".repeat(20_000))) {
      refused(junk, junk.length() > 20 ? "long" : junk);
    }
  }

  @Test
  void aCheckedTokenIsRememberedUntilItExpires() throws Exception {
    Instant now = Instant.now();
    String t = token(b -> b.expirationTime(Date.from(now.plusSeconds(100))));
    assertNull(verifier.remembered(t));
    Caller c = verifier.verify(t, true);
    assertSame(c, verifier.remembered(t));
    clock.now = now.plusSeconds(100 + 31);
    assertNull(verifier.remembered(t), "forgotten after exp + skew");
  }
}
