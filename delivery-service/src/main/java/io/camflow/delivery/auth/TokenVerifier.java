package io.camflow.delivery.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks Keycloak access tokens with nimbus-jose-jwt: the signature against the realm's JWKS
 * ({@link SigningKeys}: kept; a token with an unknown {@code kid} makes them fetched again, at most
 * once per {@link AuthSettings#jwksMinInterval()} and only for a caller within its failure budget,
 * so a rotated realm key works without a restart and forged key ids cannot make delivery hammer the
 * realm; a {@code kid} still unknown is an invalid token), only asymmetric algorithms (so {@code
 * alg: none} and HMAC signed with the public key are refused), {@code iss} one of the realm's
 * ({@link Issuers}), {@code aud} containing the audience, {@code exp} and {@code nbf} within the
 * clock skew, {@code typ} {@code Bearer} (an ID or refresh token is not an access token) and {@code
 * azp} one of {@link AuthSettings#clients()} (the client the token was issued to).
 *
 * <p>A token that passed is remembered until it expires, so the playlist requests a viewer sends
 * several times a second cost a map lookup, not a signature check. Thread-safe.
 */
public final class TokenVerifier {

  /** Longer than any access token Keycloak issues; longer ones are refused before parsing. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private static final int MAX_REMEMBERED = 10_000;
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA);

  private final AuthSettings settings;
  private final Issuers issuers;
  private final SigningKeys keys;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final Clock clock;
  private final DefaultJWTProcessor<SecurityContext> issuedProcessor;
  private final Map<String, Caller> remembered = new ConcurrentHashMap<>();

  /**
   * @param issuers the {@code iss} values of the realm's tokens ({@link Issuers#exactly} the
   *     configured one)
   */
  public TokenVerifier(AuthSettings settings, Issuers issuers) {
    this(
        settings,
        issuers,
        SigningKeys.of(settings.jwksUri(), settings.jwksMinInterval()),
        Clock.systemUTC());
  }

  /** With the keys from elsewhere (unit tests) and a clock for the token cache. */
  TokenVerifier(AuthSettings settings, SigningKeys keys, Clock clock) {
    this(settings, Issuers.exactly(settings.issuer()), keys, clock);
  }

  TokenVerifier(AuthSettings settings, Issuers issuers, SigningKeys keys, Clock clock) {
    this.settings = settings;
    this.issuers = issuers;
    this.keys = keys;
    this.clock = clock;
    processor = new DefaultJWTProcessor<>();
    // Keycloak's access tokens have typ "JWT" in the header; none at all is accepted too
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            Set.of(settings.audience()),
            new JWTClaimsSet.Builder().build(), // iss: checked against the issuers below
            Set.of("exp", "iss", "aud"),
            Set.of());
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
    issuedProcessor = new DefaultJWTProcessor<>();
    issuedProcessor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
    issuedProcessor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    DefaultJWTClaimsVerifier<SecurityContext> anyAudience =
        new DefaultJWTClaimsVerifier<>(
            null, new JWTClaimsSet.Builder().build(), Set.of("exp", "iss"), Set.of());
    anyAudience.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    issuedProcessor.setJWTClaimsSetVerifier(anyAudience);
  }

  /** The caller of a token checked before and not expired since, or null (no work, no I/O). */
  public Caller remembered(String token) {
    Caller c = remembered.get(token);
    if (c == null) {
      return null;
    }
    if (!clock.instant().isBefore(c.expiresAt().plus(settings.clockSkew()))) {
      remembered.remove(token);
      return null;
    }
    return c;
  }

  /**
   * Checks a token fully (may fetch the realm's keys: call off the event loop).
   *
   * @param mayFetchKeys whether a {@code kid} not among the kept keys may make them fetched again
   *     (false for a caller over its failure budget: then it is simply unknown)
   * @throws InvalidTokenException if it is not a valid access token of the realm, or the realm's
   *     keys cannot be fetched to tell
   */
  public Caller verify(String token, boolean mayFetchKeys) throws InvalidTokenException {
    return verify(token, mayFetchKeys, false);
  }

  /**
   * Checks a token the realm's token endpoint has just issued to delivery itself, for a client's
   * credentials ({@link ClientCredentials}): signature, issuer, expiry and type as for any token,
   * but any audience and any client — the client is the one whose secret was presented, and the
   * token never leaves delivery. Not remembered: it is never presented again.
   */
  public Caller verifyIssued(String token) throws InvalidTokenException {
    return verify(token, true, true);
  }

  private Caller verify(String token, boolean mayFetchKeys, boolean issuedToUs)
      throws InvalidTokenException {
    Caller known = issuedToUs ? null : remembered(token);
    if (known != null) {
      return known;
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException("token too long");
    }
    SignedJWT jwt;
    try {
      jwt =
          SignedJWT.parse(token); // a JWS: alg none and encrypted tokens are no access tokens here
    } catch (ParseException e) {
      throw new InvalidTokenException("malformed token");
    }
    switch (keys.find(jwt.getHeader().getKeyID(), mayFetchKeys)) {
      case KNOWN -> {}
      case UNKNOWN -> throw new InvalidTokenException("signed with a key the realm does not have");
      case NOT_YET ->
          throw InvalidTokenException.keyNotYetKnown(
              "signed with a key not among the realm's keys fetched a moment ago",
              keys.secondsUntilNextFetch());
      case UNREACHABLE ->
          throw InvalidTokenException.keysUnavailable("the realm's keys could not be fetched");
    }
    JWTClaimsSet claims;
    try {
      claims = (issuedToUs ? issuedProcessor : processor).process(jwt, null);
    } catch (BadJOSEException e) {
      throw new InvalidTokenException(printable(e.getMessage()));
    } catch (KeySourceException e) {
      throw InvalidTokenException.keysUnavailable(
          "the realm's keys could not be used: " + e.getClass().getSimpleName());
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new InvalidTokenException("signature not checkable: " + e.getClass().getSimpleName());
    }
    if (!issuers.accepts(claims.getIssuer())) {
      throw new InvalidTokenException("issued by another realm");
    }
    Object typ = claims.getClaim("typ");
    if (typ != null && !"Bearer".equals(typ)) {
      throw new InvalidTokenException(printable("not an access token (typ " + typ + ")"));
    }
    // the client the realm issued it to: another application's token for the same user is not
    // camflow's
    Object azp = claims.getClaim("azp");
    if (!issuedToUs && (!(azp instanceof String client) || !settings.clients().contains(client))) {
      throw new InvalidTokenException(
          azp instanceof String c && c.length() <= 64 && c.matches("[\\w.:/-]+")
              ? "a token of client " + c + ", not one camflow accepts"
              : "a token of no client camflow accepts");
    }
    Caller caller =
        new Caller(
            claims.getSubject(),
            string(claims, "preferred_username"),
            roles(claims, settings.rolesClient()),
            claims.getExpirationTime().toInstant());
    if (!issuedToUs) {
      remember(token, caller);
    }
    return caller;
  }

  /** Fetches of the realm's keys since start (camflow_delivery_auth_key_fetches_total). */
  public long keyFetches() {
    return keys.fetches();
  }

  private void remember(String token, Caller caller) {
    if (remembered.size() >= MAX_REMEMBERED) {
      Instant now = clock.instant();
      remembered.values().removeIf(c -> !now.isBefore(c.expiresAt()));
      if (remembered.size() >= MAX_REMEMBERED) {
        remembered.clear();
      }
    }
    remembered.put(token, caller);
  }

  /**
   * A reason for the log: nimbus quotes the token's header (read before the signature is checked,
   * so the sender's text) in some of its messages; no line breaks or other control characters, and
   * short.
   */
  static String printable(String reason) {
    String r = String.valueOf(reason).replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", "?");
    return r.length() <= 160 ? r : r.substring(0, 157) + "...";
  }

  private static String string(JWTClaimsSet claims, String name) {
    Object v = claims.getClaim(name);
    return v instanceof String s ? s : "";
  }

  /** {@code resource_access.<client>.roles}; absent (no role of the client) is empty. */
  static Set<String> roles(JWTClaimsSet claims, String client) {
    Object access = claims.getClaim("resource_access");
    if (!(access instanceof Map<?, ?> byClient)) {
      return Set.of();
    }
    Object mine = byClient.get(client);
    if (!(mine instanceof Map<?, ?> m) || !(m.get("roles") instanceof List<?> list)) {
      return Set.of();
    }
    Set<String> roles = new HashSet<>();
    for (Object r : list) {
      if (r instanceof String s) {
        roles.add(s);
      }
    }
    return roles;
  }
}
