package io.camflow.delivery.realm;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.net.URI;

/**
 * Which of the realm's addresses delivery forwards to Keycloak, so that a browser on another
 * machine logs in through the address it watches on (docs/operations.md, "Running on a LAN"): the
 * realm's own endpoints ({@code /realms/<realm>/…}: login pages, token, keys, logout, account) and
 * Keycloak's static files ({@code /resources/…}), under the same paths as on Keycloak. Nothing
 * else: not the master realm, not {@code /admin}, so Keycloak itself stays on loopback.
 *
 * @param enabled {@code CAMFLOW_REALM_FORWARDING} ({@code on} by default with Keycloak tokens,
 *     {@code off})
 * @param target Keycloak's own base address, as delivery reaches it (the realm's key address
 *     without {@code /realms/…}), e.g. {@code http://localhost:8180}
 * @param realmPath the realm's path on both sides, e.g. {@code /realms/camflow}
 */
public record RealmForwarding(boolean enabled, URI target, String realmPath) {

  public RealmForwarding {
    if (enabled) {
      if (target == null
          || !(target.getScheme().equals("http") || target.getScheme().equals("https"))) {
        throw new IllegalArgumentException(
            "the realm's address must be http or https, was " + target);
      }
      if (realmPath == null || !realmPath.matches("(/[A-Za-z0-9._~-]+)*/realms/[A-Za-z0-9._~-]+")) {
        throw new IllegalArgumentException(
            "the realm's path must end in /realms/<name>, was " + realmPath);
      }
    }
  }

  public static RealmForwarding off() {
    return new RealmForwarding(false, null, null);
  }

  /**
   * Forwarding to the realm of {@code issuer}, whose keys delivery fetches from {@code jwksUri}:
   * the browser path is the issuer's path, Keycloak is reached where the keys are.
   */
  public static RealmForwarding of(URI issuer, URI jwksUri) {
    String path = issuer.getRawPath();
    String keys = jwksUri.getRawPath();
    int realms = keys.indexOf("/realms/");
    if (path == null || realms < 0) {
      throw new IllegalArgumentException(
          "cannot tell Keycloak's address from the realm's keys at "
              + jwksUri
              + " (no /realms/ in the path): set CAMFLOW_REALM_FORWARDING=off or CAMFLOW_AUTH_JWKS_URI");
    }
    URI target =
        URI.create(
            jwksUri.getScheme() + "://" + jwksUri.getRawAuthority() + keys.substring(0, realms));
    return new RealmForwarding(
        true, target, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
  }

  /** {@code delivery.realmForwarding}; {@code issuer} null (auth off): always off. */
  public static RealmForwarding from(Settings settings, URI issuer, URI jwksUri) {
    return settings.get(CamflowOptions.REALM_FORWARDING) && issuer != null
        ? of(issuer, jwksUri)
        : off();
  }

  /** The path prefix of Keycloak's static files (theme CSS, scripts, images) beside the realm. */
  public String resourcesPath() {
    return realmPath.substring(0, realmPath.lastIndexOf("/realms/")) + "/resources/";
  }
}
