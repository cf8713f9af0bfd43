package io.camflow.delivery.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The {@code iss} values of the realm's tokens. Keycloak writes into {@code iss} the address the
 * token was asked at: delivery's own for a browser that logged in through the realm's forwarded
 * pages ({@code https://<this server>:8443/realms/camflow}), Keycloak's for a service that asked it
 * directly. A token is the realm's when {@code iss} is the configured issuer, or the issuer's path
 * at one of the public origins ({@code CAMFLOW_PUBLIC_URL}); with no public origin configured and
 * the realm forwarded, at any http(s) origin. That is sound because the signature is what ties a
 * token to the realm: only the realm holds the keys delivery fetched from it, and the path names
 * the realm.
 *
 * @param issuer the configured issuer, always accepted
 * @param anyOrigin whether the issuer's path at any origin is accepted
 * @param publicOrigins origins ({@code scheme://host[:port]}) at which the issuer's path is
 *     accepted
 */
public record Issuers(URI issuer, boolean anyOrigin, List<String> publicOrigins) {

  public Issuers {
    publicOrigins = publicOrigins.stream().map(o -> origin(URI.create(o))).toList();
  }

  /** The configured issuer only. */
  public static Issuers exactly(URI issuer) {
    return new Issuers(issuer, false, List.of());
  }

  public boolean accepts(String iss) {
    if (iss == null) {
      return false;
    }
    if (iss.equals(issuer.toString())) {
      return true;
    }
    if (!anyOrigin && publicOrigins.isEmpty()) {
      return false;
    }
    URI u;
    try {
      u = new URI(iss);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || u.getRawAuthority() == null
        || u.getRawUserInfo() != null
        || u.getRawQuery() != null
        || u.getRawFragment() != null
        || !issuer.getRawPath().equals(u.getRawPath())) {
      return false;
    }
    return anyOrigin || publicOrigins.contains(origin(u));
  }

  /** {@code scheme://host[:port]} in lower case, without the scheme's default port. */
  static String origin(URI u) {
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    int port = u.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    String host = u.getHost() == null ? String.valueOf(u.getRawAuthority()) : u.getHost();
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }
}
