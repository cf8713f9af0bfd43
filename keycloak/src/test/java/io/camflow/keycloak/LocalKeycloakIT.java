package io.camflow.keycloak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real Keycloak: {@link LocalKeycloak#shared()}, started once for this class. */
class LocalKeycloakIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static LocalKeycloak kc;

  @BeforeAll
  static void start() {
    kc = LocalKeycloak.shared();
    System.out.println(
        "LocalKeycloakIT: " + kc + " ready in " + kc.startupTime().toMillis() + " ms");
  }

  @Test
  void urls() {
    assertEquals(URI.create("http://localhost:" + kc.port()), kc.baseUrl());
    assertEquals(URI.create(kc.baseUrl() + "/realms/camflow"), kc.issuer());
    assertEquals(URI.create(kc.issuer() + "/protocol/openid-connect/token"), kc.tokenEndpoint());
    assertTrue(kc.process().isAlive());
  }

  @Test
  void adminHasEveryCameraRoleAndAdmin() throws Exception {
    JsonNode claims = passwordGrant("admin", "admin");
    assertCommonClaims(claims, "admin");
    Set<String> roles = camflowRoles(claims);
    assertTrue(
        roles.containsAll(
            Set.of(
                "camflow:admin",
                "camera:demo:live",
                "camera:demo:dvr",
                "camera:demo:publish",
                "camera:garage:live",
                "camera:garage:dvr",
                "camera:garage:publish")),
        roles.toString());
  }

  @Test
  void viewerMayWatchDemoLiveOnly() throws Exception {
    JsonNode claims = passwordGrant("viewer", "viewer");
    assertCommonClaims(claims, "viewer");
    assertEquals(Set.of("camera:demo:live"), camflowRoles(claims));
  }

  @Test
  void outsiderHasNoCamera() throws Exception {
    JsonNode claims = passwordGrant("outsider", "outsider");
    assertCommonClaims(claims, "outsider");
    assertEquals(Set.of(), camflowRoles(claims));
  }

  /** Keycloak 26 answers a bad password with 400 invalid_grant (RFC 6749 5.2), no token. */
  @Test
  void wrongPasswordGetsNoToken() throws Exception {
    HttpResponse<String> r =
        post(
            kc.tokenEndpoint(),
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "camflow-web",
                "username",
                "viewer",
                "password",
                "not-the-password"));
    assertTrue(r.statusCode() == 400 || r.statusCode() == 401, r.statusCode() + " " + r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("invalid_grant", body.path("error").asText(), r.body());
    assertFalse(body.has("access_token"));
  }

  /**
   * camflow's own account holds no admin role; its admin permissions: ServiceAccountPrivilegesIT.
   */
  @Test
  void servicesClientMayListGroupsWithoutAdminRoles() throws Exception {
    HttpResponse<String> r =
        post(
            kc.tokenEndpoint(),
            Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                "camflow-services",
                "client_secret",
                "camflow-services-local-secret"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode claims = payload(JSON.readTree(r.body()).path("access_token").asText());
    assertEquals(kc.issuer().toString(), claims.path("iss").asText());
    Set<String> roles = new TreeSet<>();
    claims
        .path("resource_access")
        .path("realm-management")
        .path("roles")
        .forEach(n -> roles.add(n.asText()));
    assertEquals(Set.of(), roles);
    // its admin permissions let it list the realm's groups
    HttpResponse<String> groups =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        kc.baseUrl() + "/admin/realms/camflow/groups?briefRepresentation=true"))
                .header(
                    "Authorization",
                    "Bearer " + JSON.readTree(r.body()).path("access_token").asText())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, groups.statusCode(), groups.body());
    assertTrue(groups.body().contains("camera-demo-live"), groups.body());
  }

  @Test
  void discoveryAndJwks() throws Exception {
    HttpResponse<String> d = get(URI.create(kc.issuer() + "/.well-known/openid-configuration"));
    assertEquals(200, d.statusCode(), d.body());
    JsonNode discovery = JSON.readTree(d.body());
    assertEquals(kc.issuer().toString(), discovery.path("issuer").asText());
    assertEquals(kc.tokenEndpoint().toString(), discovery.path("token_endpoint").asText());
    assertEquals(kc.jwksUri().toString(), discovery.path("jwks_uri").asText());
    HttpResponse<String> j = get(URI.create(discovery.path("jwks_uri").asText()));
    assertEquals(200, j.statusCode(), j.body());
    boolean rs256 = false;
    for (JsonNode key : JSON.readTree(j.body()).path("keys")) {
      rs256 |=
          "RS256".equals(key.path("alg").asText())
              && "RSA".equals(key.path("kty").asText())
              && "sig".equals(key.path("use").asText())
              && !key.path("kid").asText().isEmpty();
    }
    assertTrue(rs256, j.body());
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  private static void assertCommonClaims(JsonNode claims, String user) {
    assertEquals(kc.issuer().toString(), claims.path("iss").asText());
    assertTrue(audience(claims).contains("camflow"), claims.toString());
    assertEquals("camflow-web", claims.path("azp").asText());
    assertEquals(user, claims.path("preferred_username").asText());
    assertEquals("Bearer", claims.path("typ").asText());
  }

  /** {@code aud} is a string when there is one audience, an array otherwise. */
  private static Set<String> audience(JsonNode claims) {
    JsonNode aud = claims.path("aud");
    Set<String> out = new TreeSet<>();
    if (aud.isArray()) {
      aud.forEach(n -> out.add(n.asText()));
    } else if (aud.isTextual()) {
      out.add(aud.asText());
    }
    return out;
  }

  private static Set<String> camflowRoles(JsonNode claims) {
    Set<String> roles = new TreeSet<>();
    claims
        .path("resource_access")
        .path("camflow")
        .path("roles")
        .forEach(n -> roles.add(n.asText()));
    return roles;
  }

  private static JsonNode passwordGrant(String user, String password) throws Exception {
    HttpResponse<String> r =
        post(
            kc.tokenEndpoint(),
            Map.of(
                "grant_type",
                "password",
                "client_id",
                "camflow-web",
                "username",
                user,
                "password",
                password,
                "scope",
                "openid"));
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("Bearer", body.path("token_type").asText());
    String token = body.path("access_token").asText();
    assertEquals(3, token.split("\\.").length, "not a JWS: " + token);
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    assertEquals("RS256", header.path("alg").asText());
    return payload(token);
  }

  private static JsonNode payload(String jwt) throws IOException {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  private static HttpResponse<String> post(URI uri, Map<String, String> form) throws Exception {
    String body =
        new LinkedHashMap<>(form)
            .entrySet().stream()
                .map(
                    e ->
                        URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                            + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    return HTTP.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
