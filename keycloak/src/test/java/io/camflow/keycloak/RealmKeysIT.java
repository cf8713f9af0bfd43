package io.camflow.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RealmKeys} and {@link Tokens} against the shared real Keycloak. The imported key is
 * removed at the end; the rotation stays (by design: tests elsewhere must not assume a fixed kid).
 */
class RealmKeysIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private static LocalKeycloak kc;
  private static RealmKeys keys;
  private static final List<String> importedKids = new ArrayList<>();

  @BeforeAll
  static void start() {
    kc = LocalKeycloak.shared();
    keys = new RealmKeys(kc);
  }

  @AfterAll
  static void cleanUp() {
    if (keys != null) {
      importedKids.forEach(keys::removeProvider);
      keys.close();
    }
  }

  @Test
  void anImportedKeyIsPublishedAndVouchesForForgedTokens() throws Exception {
    KeyPair pair = rsa();
    String signing = keys.activeSigningKid();
    long t0 = System.nanoTime();
    String kid =
        keys.importRsaKey(pair, 10); // generated keys have 100: Keycloak keeps signing with its own
    importedKids.add(kid);
    System.out.println("RealmKeysIT: imported kid " + kid + " in " + millisSince(t0) + " ms");

    JsonNode jwk = jwks().get(kid);
    assertTrue(jwk != null, "kid " + kid + " not in the JWKS");
    assertEquals("RSA", jwk.path("kty").asText());
    assertEquals("RS256", jwk.path("alg").asText());
    assertEquals("sig", jwk.path("use").asText());
    RSAPublicKey mine = (RSAPublicKey) pair.getPublic();
    assertEquals(mine.getModulus(), unsigned(jwk.path("n").asText()));
    assertEquals(mine.getPublicExponent(), unsigned(jwk.path("e").asText()));
    assertTrue(
        jwk.path("x5c").size() > 0, "Keycloak generates a certificate when none is given: " + jwk);

    assertEquals(signing, keys.activeSigningKid(), "a lower priority must not take over signing");
    assertEquals(signing, header(Tokens.accessToken(kc, "viewer", "viewer")).path("kid").asText());

    // a token forged with the private key verifies with the key a validator finds in the JWKS
    long now = Instant.now().getEpochSecond();
    String forged =
        sign(
            pair.getPrivate(),
            Map.of("alg", "RS256", "typ", "JWT", "kid", kid),
            Map.of(
                "iss",
                kc.issuer().toString(),
                "aud",
                "camflow",
                "typ",
                "Bearer",
                "sub",
                "forged",
                "iat",
                now,
                "exp",
                now + 300,
                "azp",
                "camflow-web",
                "resource_access",
                Map.of("camflow", Map.of("roles", List.of("camera:garage:live")))));
    assertEquals(kid, header(forged).path("kid").asText());
    assertTrue(verify(forged, publicKey(jwks().get(kid))));
    assertFalse(verify(forged, publicKey(jwks().get(signing))), "verified with the wrong key");
  }

  @Test
  void rotationMakesKeycloakSignWithTheNewKey() throws Exception {
    String before = keys.activeSigningKid();
    long t0 = System.nanoTime();
    String rotated = keys.rotate();
    System.out.println(
        "RealmKeysIT: rotated " + before + " -> " + rotated + " in " + millisSince(t0) + " ms");
    assertNotEquals(before, rotated);
    assertEquals(rotated, keys.activeSigningKid());

    String token = Tokens.accessToken(kc, "viewer", "viewer");
    assertEquals(rotated, header(token).path("kid").asText());
    Map<String, JsonNode> jwks = jwks();
    assertTrue(
        verify(token, publicKey(jwks.get(rotated))),
        "Keycloak's token does not verify with its JWKS");
    assertTrue(
        jwks.containsKey(before), "the previous key must stay published for tokens it signed");
  }

  @Test
  void removeProviderTakesTheKeyOutOfTheJwks() throws Exception {
    String kid = keys.importRsaKey(rsa(), 5);
    assertTrue(jwks().containsKey(kid));
    keys.removeProvider(kid);
    assertFalse(jwks().containsKey(kid));
    keys.removeProvider(kid); // unknown kid: nothing happens
  }

  @Test
  void importRejectsNonRsaKeys() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    assertThrows(IllegalArgumentException.class, () -> keys.importRsaKey(ec.generateKeyPair(), 10));
  }

  @Test
  void aRefusedPasswordGrantNamesTheStatusButNotThePassword() {
    String password = "not-the-password-" + System.nanoTime();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Tokens.accessToken(kc, "viewer", password));
    assertTrue(
        e.getMessage().contains("HTTP 401") || e.getMessage().contains("HTTP 400"), e.getMessage());
    assertTrue(e.getMessage().contains("invalid_grant"), e.getMessage());
    assertFalse(e.getMessage().contains(password), e.getMessage());
  }

  // ---- JOSE by hand: this module has no JOSE library
  // ----------------------------------------------

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static String sign(PrivateKey key, Map<String, ?> header, Map<String, ?> claims)
      throws Exception {
    String input =
        B64URL.encodeToString(JSON.writeValueAsBytes(header))
            + "."
            + B64URL.encodeToString(JSON.writeValueAsBytes(claims));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64URL.encodeToString(rs256.sign());
  }

  private static boolean verify(String jws, PublicKey key) throws Exception {
    int dot = jws.lastIndexOf('.');
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(key);
    rs256.update(jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
    return rs256.verify(Base64.getUrlDecoder().decode(jws.substring(dot + 1)));
  }

  private static JsonNode header(String jws) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))));
  }

  /** The realm's JWKS by kid, fetched fresh as a validator would on an unknown kid. */
  private static Map<String, JsonNode> jwks() throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(kc.jwksUri()).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    Map<String, JsonNode> byKid = new HashMap<>();
    JSON.readTree(r.body()).path("keys").forEach(k -> byKid.put(k.path("kid").asText(), k));
    return byKid;
  }

  private static PublicKey publicKey(JsonNode jwk) throws Exception {
    assertTrue(jwk != null && "RSA".equals(jwk.path("kty").asText()), String.valueOf(jwk));
    return KeyFactory.getInstance("RSA")
        .generatePublic(
            new RSAPublicKeySpec(
                unsigned(jwk.path("n").asText()), unsigned(jwk.path("e").asText())));
  }

  private static BigInteger unsigned(String base64url) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
  }

  private static long millisSince(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }
}
