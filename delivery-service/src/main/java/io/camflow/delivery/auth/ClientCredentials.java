package io.camflow.delivery.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Credentials for clients that keep a user name and password for months — an NVR reading RTSP —
 * where a 5-minute access token does not fit: the id and secret of a Keycloak client whose service
 * account holds camera roles (docs/rtsp.md, "Credentials for an NVR"). Delivery exchanges them at
 * the realm's token endpoint (the client credentials grant, RFC 6749 4.4) and checks the token it
 * gets ({@link TokenVerifier#verifyIssued}). The answer is kept for a while — keyed by the id and a
 * salted hash of the secret; the secret itself is never kept — and asked again after that, so
 * revoking the client's roles, disabling it or regenerating its secret takes effect within that
 * time. Exchanges block: call {@link #exchange} off the event loop.
 */
public final class ClientCredentials {

  /** Answers kept at most; past it every kept answer is forgotten (they are asked again). */
  static final int MAX_KEPT = 4096;

  static final int MAX_SECRET_LENGTH = 512;
  private static final int MAX_RESPONSE = 64 * 1024;
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Kept(Caller caller, long checkedNanos) {}

  private final URI tokenEndpoint;
  private final TokenVerifier verifier;
  private final HttpClient http;
  private final LongSupplier nanos;
  private final byte[] salt = new byte[16];
  private final Map<String, Kept> kept = new ConcurrentHashMap<>();

  public ClientCredentials(URI tokenEndpoint, TokenVerifier verifier, LongSupplier nanos) {
    this.tokenEndpoint = tokenEndpoint;
    this.verifier = verifier;
    this.nanos = nanos;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    new SecureRandom().nextBytes(salt);
  }

  /** The realm's token endpoint beside its JWKS ({@code …/protocol/openid-connect/token}). */
  public static URI tokenEndpoint(AuthSettings settings) {
    String jwks = settings.jwksUri().toString();
    return jwks.endsWith("/certs")
        ? URI.create(jwks.substring(0, jwks.length() - "/certs".length()) + "/token")
        : URI.create(settings.issuer() + "/protocol/openid-connect/token");
  }

  /** Whether {@code id} could name a client (checked before anything is asked of the realm). */
  static boolean plausible(String id, String secret) {
    return id != null
        && CLIENT_ID.matcher(id).matches()
        && secret != null
        && !secret.isEmpty()
        && secret.length() <= MAX_SECRET_LENGTH;
  }

  /** The caller these credentials were found to be within {@code maxAge}, or null. */
  public Caller remembered(String id, String secret, Duration maxAge) {
    if (!plausible(id, secret)) {
      return null;
    }
    Kept k = kept.get(key(id, secret));
    if (k == null || nanos.getAsLong() - k.checkedNanos() > maxAge.toNanos()) {
      return null;
    }
    return k.caller();
  }

  /**
   * Asks the realm whether these are a client's id and secret and checks the token it issues: the
   * client's service account as a caller.
   *
   * @throws InvalidTokenException invalid credentials ({@link InvalidTokenException.Kind#INVALID}),
   *     or the realm cannot answer now (keys unavailable)
   */
  public Caller exchange(String id, String secret) throws InvalidTokenException {
    if (!plausible(id, secret)) {
      throw new InvalidTokenException("invalid client credentials");
    }
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(id, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    HttpResponse<byte[]> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(tokenEndpoint)
                  .timeout(Duration.ofSeconds(5))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw InvalidTokenException.keysUnavailable(
          "the realm cannot check credentials now: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw InvalidTokenException.keysUnavailable("interrupted");
    }
    if (r.statusCode() == 400 || r.statusCode() == 401) {
      kept.remove(key(id, secret));
      throw new InvalidTokenException("invalid client credentials");
    }
    if (r.statusCode() != 200 || r.body().length > MAX_RESPONSE) {
      throw InvalidTokenException.keysUnavailable(
          "the realm answered " + r.statusCode() + " to a client credentials grant");
    }
    String token;
    try {
      JsonNode body = JSON.readTree(r.body());
      token = body.path("access_token").asText("");
    } catch (IOException e) {
      throw InvalidTokenException.keysUnavailable("the realm's token answer is not JSON");
    }
    Caller caller = verifier.verifyIssued(token);
    if (kept.size() >= MAX_KEPT) {
      kept.clear();
    }
    kept.put(key(id, secret), new Kept(caller, nanos.getAsLong()));
    return caller;
  }

  private String key(String id, String secret) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(salt);
      d.update(secret.getBytes(StandardCharsets.UTF_8));
      return id + " " + HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
