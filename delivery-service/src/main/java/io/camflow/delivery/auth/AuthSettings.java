package io.camflow.delivery.auth;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How delivery checks who is asking: the Keycloak realm whose access tokens it accepts, the key of
 * its own stream tokens, and the limits around them. One place per option; every option is an
 * environment variable of delivery-service, documented in docs/configuration.md.
 *
 * @param enabled false only when CAMFLOW_AUTH=off: then every request is allowed and delivery binds
 *     to loopback only
 * @param issuer the realm's issuer; a token's {@code iss} must equal it exactly
 * @param jwksUri where the realm publishes its signing keys
 * @param audience the value a token's {@code aud} must contain
 * @param rolesClient the client whose roles ({@code resource_access.<client>.roles}) are camflow's
 * @param webClientId the public client the web viewer logs in with
 * @param clients the clients whose tokens delivery accepts: a token's {@code azp} (the client it
 *     was issued to) must be one of them, so a token another application of the realm obtained for
 *     the same user does not open camflow
 * @param clockSkew how far {@code exp}/{@code nbf} may be off
 * @param jwksMinInterval the least time between two fetches of the keys (an unknown {@code kid}
 *     refetches them, at most this often)
 * @param streamTokenKey the HMAC key of the stream tokens in playlists (shared by every delivery
 *     instance behind one load balancer)
 * @param streamTokenTtl how long a stream token handed out in a playlist stays valid
 * @param failureLimit the failure budget of a client address: requests refused for their
 *     credentials it may have per window; more get 429, a valid token never does ({@link
 *     FailureLimiter}; 0: no limit)
 * @param failureWindow the window of {@code failureLimit}
 * @param healthAccess who may read /healthz, /readyz (and /metrics)
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} / {@code Forwarded} name the
 *     client (its address for the failure budget, loopback health access, viewer sessions); read
 *     also when auth is off
 */
public record AuthSettings(
    boolean enabled,
    URI issuer,
    URI jwksUri,
    String audience,
    String rolesClient,
    String webClientId,
    Set<String> clients,
    Duration clockSkew,
    Duration jwksMinInterval,
    byte[] streamTokenKey,
    Duration streamTokenTtl,
    int failureLimit,
    Duration failureWindow,
    HealthAccess healthAccess,
    TrustedProxies trustedProxies) {

  /** Who may read the health and metrics endpoints. */
  public enum HealthAccess {
    /** anyone, without a token */
    OPEN,
    /** clients on loopback without a token, others with an admin token (the default) */
    LOOPBACK,
    /** admin tokens only */
    ADMIN
  }

  public static final URI LOCAL_ISSUER = URI.create("http://localhost:8180/realms/camflow");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,255}");
  static final int MIN_KEY_BYTES = 32;

  public AuthSettings {
    Objects.requireNonNull(healthAccess, "healthAccess");
    Objects.requireNonNull(trustedProxies, "trustedProxies");
    if (enabled) {
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(jwksUri, "jwksUri");
      requireText("audience", audience);
      requireText("roles client", rolesClient);
      requireText("web client id", webClientId);
      clients = Set.copyOf(clients);
      if (clients.isEmpty() || clients.stream().anyMatch(c -> !CLIENT_ID.matcher(c).matches())) {
        throw new IllegalArgumentException(
            "the allowed clients must be one or more client ids, was " + clients);
      }
      if (streamTokenKey == null || streamTokenKey.length < MIN_KEY_BYTES) {
        throw new IllegalArgumentException(
            "the stream token key must have at least " + MIN_KEY_BYTES + " bytes");
      }
      if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            "clock skew must be 0..300 s, was " + clockSkew.toSeconds() + " s");
      }
      if (streamTokenTtl.compareTo(Duration.ofSeconds(10)) < 0
          || streamTokenTtl.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "stream token lifetime must be 10..3600 s, was " + streamTokenTtl.toSeconds() + " s");
      }
      if (jwksMinInterval.isNegative() || failureWindow.isNegative() || failureWindow.isZero()) {
        throw new IllegalArgumentException(
            "key refetch interval and failure window must be positive");
      }
      if (failureLimit < 0) {
        throw new IllegalArgumentException("failure limit must be ≥ 0, was " + failureLimit);
      }
      streamTokenKey = streamTokenKey.clone();
    }
  }

  /**
   * Keycloak tokens of this issuer, every other option at its default and a random stream token
   * key.
   */
  public static AuthSettings keycloak(URI issuer) {
    return new AuthSettings(
        true,
        issuer,
        certs(issuer),
        "camflow",
        "camflow",
        "camflow-web",
        Set.of("camflow-web"),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        randomKey(),
        Duration.ofSeconds(60),
        30,
        Duration.ofMinutes(1),
        HealthAccess.LOOPBACK,
        TrustedProxies.NONE);
  }

  /** No checks at all: only for a delivery bound to loopback. */
  public static AuthSettings off() {
    return new AuthSettings(
        false,
        null,
        null,
        null,
        null,
        null,
        Set.of(),
        Duration.ZERO,
        Duration.ZERO,
        null,
        Duration.ZERO,
        0,
        Duration.ofMinutes(1),
        HealthAccess.OPEN,
        TrustedProxies.NONE);
  }

  @Override
  public byte[] streamTokenKey() {
    return streamTokenKey == null ? null : streamTokenKey.clone();
  }

  /**
   * The {@code auth.*} options, {@code delivery.healthAccess} and {@code delivery.trustedProxies}
   * (docs/configuration.md). Errors name the variable, never a secret's value.
   */
  public static AuthSettings from(Settings settings) {
    TrustedProxies proxies;
    try {
      proxies = TrustedProxies.parse(settings.find(CamflowOptions.TRUSTED_PROXIES).orElse(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CAMFLOW_TRUSTED_PROXIES: "
              + e.getMessage()
              + " (give addresses or CIDR ranges, comma-separated)");
    }
    if (settings.get(CamflowOptions.AUTH).equals("off")) {
      return off().withTrustedProxies(proxies);
    }
    URI issuer = settings.get(CamflowOptions.AUTH_ISSUER);
    AuthSettings d = keycloak(issuer);
    byte[] key = settings.find(CamflowOptions.STREAM_TOKEN_KEY).orElse(d.streamTokenKey);
    HealthAccess health =
        HealthAccess.valueOf(settings.get(CamflowOptions.HEALTH_ACCESS).toUpperCase(Locale.ROOT));
    String webClient = settings.get(CamflowOptions.AUTH_WEB_CLIENT);
    List<String> clients =
        settings
            .find(CamflowOptions.AUTH_CLIENTS)
            .filter(c -> !c.isEmpty())
            .orElse(List.of(webClient));
    return new AuthSettings(
        true,
        issuer,
        settings.find(CamflowOptions.AUTH_JWKS_URI).orElse(d.jwksUri),
        settings.get(CamflowOptions.AUTH_AUDIENCE),
        settings.get(CamflowOptions.AUTH_ROLES_CLIENT),
        webClient,
        new LinkedHashSet<>(clients),
        settings.get(CamflowOptions.AUTH_CLOCK_SKEW),
        settings.get(CamflowOptions.AUTH_JWKS_MIN_INTERVAL),
        key,
        settings.get(CamflowOptions.STREAM_TOKEN_TTL),
        settings.get(CamflowOptions.AUTH_FAILURE_LIMIT),
        d.failureWindow,
        health,
        proxies);
  }

  /** These settings, accepting tokens of these clients only ({@code azp}). */
  public AuthSettings withClients(Set<String> allowed) {
    return new AuthSettings(
        enabled,
        issuer,
        jwksUri,
        audience,
        rolesClient,
        webClientId,
        allowed,
        clockSkew,
        jwksMinInterval,
        streamTokenKey,
        streamTokenTtl,
        failureLimit,
        failureWindow,
        healthAccess,
        trustedProxies);
  }

  /** These settings, reading the client's address from these proxies' forwarding headers. */
  public AuthSettings withTrustedProxies(TrustedProxies proxies) {
    return new AuthSettings(
        enabled,
        issuer,
        jwksUri,
        audience,
        rolesClient,
        webClientId,
        clients,
        clockSkew,
        jwksMinInterval,
        streamTokenKey,
        streamTokenTtl,
        failureLimit,
        failureWindow,
        healthAccess,
        proxies);
  }

  /** These settings with another failure budget per client address (0: none). */
  public AuthSettings withFailureLimit(int limit) {
    return new AuthSettings(
        enabled,
        issuer,
        jwksUri,
        audience,
        rolesClient,
        webClientId,
        clients,
        clockSkew,
        jwksMinInterval,
        streamTokenKey,
        streamTokenTtl,
        limit,
        failureWindow,
        healthAccess,
        trustedProxies);
  }

  /** These settings with another least time between two fetches of the realm's keys. */
  public AuthSettings withJwksMinInterval(Duration interval) {
    return new AuthSettings(
        enabled,
        issuer,
        jwksUri,
        audience,
        rolesClient,
        webClientId,
        clients,
        clockSkew,
        interval,
        streamTokenKey,
        streamTokenTtl,
        failureLimit,
        failureWindow,
        healthAccess,
        trustedProxies);
  }

  /** These settings with another stream token key. */
  public AuthSettings withStreamTokenKey(byte[] key) {
    return new AuthSettings(
        enabled,
        issuer,
        jwksUri,
        audience,
        rolesClient,
        webClientId,
        clients,
        clockSkew,
        jwksMinInterval,
        key,
        streamTokenTtl,
        failureLimit,
        failureWindow,
        healthAccess,
        trustedProxies);
  }

  /** Whether the stream token key came from configuration (false: random, this process only). */
  public static boolean sharedKeyConfigured(Settings settings) {
    return settings.isSet(CamflowOptions.STREAM_TOKEN_KEY);
  }

  static URI certs(URI issuer) {
    String base = issuer.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + "protocol/openid-connect/certs");
  }

  private static byte[] randomKey() {
    byte[] key = new byte[MIN_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }

  @Override
  public String toString() {
    return enabled
        ? "keycloak tokens of "
            + issuer
            + " (aud "
            + audience
            + ", clients "
            + String.join(",", new java.util.TreeSet<>(clients))
            + ", roles of "
            + rolesClient
            + ", trusted proxies "
            + trustedProxies
            + ")"
        : "auth off";
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
