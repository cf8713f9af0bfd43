package io.camflow.keycloak.admin;

import java.net.URI;

/**
 * Where Keycloak is and how camflow logs in to change permissions: the client credentials grant of
 * a confidential client with a service account ({@code camflow-services} in realm {@code camflow}).
 *
 * @param serverUrl Keycloak's base URL without {@code /realms/...}, e.g. {@code
 *     http://localhost:8180} (a trailing slash is dropped)
 * @param realm the realm holding camflow's users, groups and the client {@code camflow}
 * @param clientId the confidential client, e.g. {@code camflow-services}
 * @param clientSecret its secret; never part of {@link #toString()}
 */
public record AdminSettings(URI serverUrl, String realm, String clientId, String clientSecret) {

  public AdminSettings {
    serverUrl = requireServerUrl(serverUrl);
    requireText(realm, "realm");
    requireText(clientId, "clientId");
    requireText(clientSecret, "clientSecret");
  }

  /** Shows which client logs in where; the secret only as "***" (settings end up in logs). */
  @Override
  public String toString() {
    return "AdminSettings[serverUrl="
        + serverUrl
        + ", realm="
        + realm
        + ", clientId="
        + clientId
        + ", clientSecret=***]";
  }

  private static URI requireServerUrl(URI url) {
    if (url == null) {
      throw new IllegalArgumentException("Keycloak serverUrl is missing");
    }
    String scheme = url.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "Keycloak serverUrl must be an absolute http(s) URL such as"
              + " http://localhost:8180, got "
              + url);
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "Keycloak serverUrl must not have user info, a query or a"
              + " fragment: "
              + url.getScheme()
              + "://"
              + url.getHost());
    }
    String s = url.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : url;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Keycloak admin setting " + name + " is missing or blank");
    }
  }
}
