package io.camflow.delivery.sessions;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;

/**
 * How long MSE and WebRTC sessions live on their token (docs/permissions.md, "Long-lived
 * sessions").
 *
 * @param grace how long past its token's {@code exp} a session goes on without a fresh token
 *     ({@code CAMFLOW_SESSION_TOKEN_GRACE_S}, 30 s): the web viewer sends one well before, so the
 *     grace only covers a refresh that is late (a slow network, a tab woken from the background)
 * @param recheckInterval how often the users of live sessions are looked up in Keycloak again, so a
 *     permission revoked behind camflow's back (Keycloak's console) ends their sessions within it
 *     ({@code CAMFLOW_ACCESS_RECHECK_S}, 60 s; 0: never, only on revocations made through camflow's
 *     API and at the token's expiry). Needs the Keycloak admin client.
 */
public record TokenLeaseSettings(Duration grace, Duration recheckInterval) {

  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(60);
  private static final Duration MAX_GRACE = Duration.ofMinutes(10);

  public TokenLeaseSettings {
    if (grace == null || grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
      throw new IllegalArgumentException(
          "CAMFLOW_SESSION_TOKEN_GRACE must be 0 to 10m, was "
              + (grace == null ? null : grace.toSeconds() + " s"));
    }
    if (recheckInterval == null || recheckInterval.isNegative()) {
      throw new IllegalArgumentException("CAMFLOW_ACCESS_RECHECK must be 0 (never) or more");
    }
  }

  public static TokenLeaseSettings defaults() {
    return new TokenLeaseSettings(DEFAULT_GRACE, DEFAULT_RECHECK);
  }

  /** Whether access is looked up again periodically. */
  public boolean rechecks() {
    return !recheckInterval.isZero();
  }

  /** {@code delivery.sessions.tokenGrace} and {@code accessRecheck}. */
  public static TokenLeaseSettings from(Settings settings) {
    return new TokenLeaseSettings(
        settings.get(CamflowOptions.SESSION_TOKEN_GRACE),
        settings.get(CamflowOptions.ACCESS_RECHECK));
  }
}
