package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.Tokens;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;

/**
 * What camflow's own Keycloak account may do (docs/permissions.md, "camflow's service account"):
 * with a token of {@code camflow-services} obtained with its secret — as anyone holding the secret
 * would — the admin REST API answers 403 to everything that would make someone an admin or leak a
 * credential, and camera access can still be granted and revoked. Set-up and checks behind its back
 * use the master realm's bootstrap admin.
 */
class ServiceAccountPrivilegesIT {

  private static final String SECRET = "camflow-services-local-secret";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static LocalKeycloak kc;
  private static Keycloak master;
  private static RealmResource realm;
  private static String camflowClient;
  private static String realmManagement;
  private static String outsider;
  private static final List<String> groupsToDelete = new ArrayList<>();

  @BeforeAll
  static void start() {
    kc = LocalKeycloak.shared();
    master =
        Keycloak.getInstance(
            kc.baseUrl().toString(),
            "master",
            LocalKeycloak.BOOTSTRAP_ADMIN,
            LocalKeycloak.BOOTSTRAP_ADMIN,
            "admin-cli");
    realm = master.realm(LocalKeycloak.REALM);
    camflowClient = clientUuid("camflow");
    realmManagement = clientUuid("realm-management");
    outsider = realm.users().search("outsider", true).getFirst().getId();
  }

  @AfterAll
  static void cleanUp() {
    if (master != null) {
      groupsToDelete.forEach(id -> realm.groups().group(id).remove());
      master.close();
    }
  }

  // ---- cannot make anyone an admin
  // ----------------------------------------------------------------

  /** The attack of issue 14: outsider put into camflow-admins became a camflow admin. */
  @Test
  void cannotPutAUserIntoCamflowAdminsOrAnyGroupButACameraGroup() throws Exception {
    String token = servicesToken();
    String admins = groupId("/camflow-admins");
    assertEquals(
        403, call(token, "PUT", "/users/" + outsider + "/groups/" + admins, null).statusCode());

    // a group of the operator's own, here one that makes its members realm admins
    String realmAdmins = createGroup("it-realm-admins-" + random());
    realm
        .groups()
        .group(realmAdmins)
        .roles()
        .clientLevel(realmManagement)
        .add(List.of(realmManagementRole("realm-admin")));
    assertEquals(
        403,
        call(token, "PUT", "/users/" + outsider + "/groups/" + realmAdmins, null).statusCode());
    String plain = createGroup("it-plain-" + random());
    assertEquals(
        403, call(token, "PUT", "/users/" + outsider + "/groups/" + plain, null).statusCode());

    // nor around it: a new group, a sub-group of camflow-admins, or a camera group moved under it
    assertEquals(
        403, call(token, "POST", "/groups", Map.of("name", "it-new-" + random())).statusCode());
    assertEquals(
        403,
        call(token, "POST", "/groups/" + admins + "/children", Map.of("name", "it-sub-" + random()))
            .statusCode());
    assertEquals(
        403,
        call(
                token,
                "POST",
                "/groups/" + admins + "/children",
                Map.of("id", groupId("/camera-demo-live"), "name", "camera-demo-live"))
            .statusCode());
    assertEquals(
        403,
        call(token, "DELETE", "/users/" + userId("admin") + "/groups/" + admins, null)
            .statusCode());
    assertEquals(403, call(token, "DELETE", "/groups/" + admins, null).statusCode());
    assertEquals(
        403, call(token, "PUT", "/groups/" + admins, Map.of("name", "it-renamed")).statusCode());

    Set<String> groups = new TreeSet<>();
    realm.users().get(outsider).groups().forEach(g -> groups.add(g.getPath()));
    assertEquals(Set.of(), groups);
    assertEquals(Set.of(), roles(Tokens.accessToken(kc, "outsider", "outsider"), "camflow"));
    assertEquals(
        Set.of("/camflow-admins"),
        Set.copyOf(
            realm.users().get(userId("admin")).groups().stream()
                .map(GroupRepresentation::getPath)
                .toList()));
  }

  @Test
  void cannotMapTheRealmsAdminRolesNorCamflowAdmin() throws Exception {
    String token = servicesToken();
    for (String role :
        List.of("realm-admin", "manage-users", "manage-realm", "manage-clients", "view-clients")) {
      assertEquals(
          403,
          call(
                  token,
                  "POST",
                  "/users/" + outsider + "/role-mappings/clients/" + realmManagement,
                  List.of(realmManagementRole(role)))
              .statusCode(),
          role);
    }
    RoleRepresentation admin =
        realm.clients().get(camflowClient).roles().get("camflow:admin").toRepresentation();
    assertEquals(
        403,
        call(
                token,
                "POST",
                "/users/" + outsider + "/role-mappings/clients/" + camflowClient,
                List.of(admin))
            .statusCode());
    // onto a camera group, whose members it may change
    assertEquals(
        403,
        call(
                token,
                "POST",
                "/groups/"
                    + groupId("/camera-demo-live")
                    + "/role-mappings/clients/"
                    + camflowClient,
                List.of(admin))
            .statusCode());
    // nor take over an account or act as it
    assertEquals(
        403,
        call(
                token,
                "PUT",
                "/users/" + outsider + "/reset-password",
                Map.of("type", "password", "value", "taken-over", "temporary", false))
            .statusCode());
    assertEquals(
        403, call(token, "POST", "/users/" + outsider + "/impersonation", null).statusCode());
    assertEquals(
        403, call(token, "POST", "/users", Map.of("username", "it-new-" + random())).statusCode());

    String outsiderToken = Tokens.accessToken(kc, "outsider", "outsider");
    assertEquals(Set.of(), roles(outsiderToken, "camflow"));
    assertEquals(Set.of(), roles(outsiderToken, "realm-management"));
  }

  /**
   * Whoever may change client camflow or its roles is a camflow admin: delete camflow:admin, rename
   * camera:demo:live to camflow:admin, and every member of camera-demo-live is one; or give camflow
   * a service account and a mapper that writes any role into its tokens.
   */
  @Test
  void cannotChangeClientCamflowNorItsRoles() throws Exception {
    String token = servicesToken();
    String roles = "/clients/" + camflowClient + "/roles";
    assertEquals(
        403,
        call(token, "POST", roles, Map.of("name", "camera:it-" + random() + ":live")).statusCode());
    assertEquals(
        403,
        call(token, "PUT", roles + "/" + enc("camera:demo:live"), Map.of("name", "camflow:admin"))
            .statusCode());
    assertEquals(403, call(token, "DELETE", roles + "/" + enc("camflow:admin"), null).statusCode());
    RoleRepresentation admin =
        realm.clients().get(camflowClient).roles().get("camflow:admin").toRepresentation();
    assertEquals(
        403,
        call(token, "POST", roles + "/" + enc("camera:demo:live") + "/composites", List.of(admin))
            .statusCode());
    // nor every user's default roles
    assertEquals(
        403,
        call(
                token,
                "POST",
                "/roles/" + enc("default-roles-camflow") + "/composites",
                List.of(admin))
            .statusCode());
    assertEquals(
        403,
        call(
                token,
                "POST",
                "/clients/" + camflowClient + "/protocol-mappers/models",
                Map.of(
                    "name",
                    "it",
                    "protocol",
                    "openid-connect",
                    "protocolMapper",
                    "oidc-hardcoded-claim-mapper",
                    "config",
                    Map.of("claim.name", "it", "claim.value", "it")))
            .statusCode());
    ClientRepresentation camflow = realm.clients().get(camflowClient).toRepresentation();
    camflow.setServiceAccountsEnabled(true);
    assertEquals(403, call(token, "PUT", "/clients/" + camflowClient, camflow).statusCode());
    assertEquals(
        403, call(token, "POST", "/clients", Map.of("clientId", "it-" + random())).statusCode());
    assertTrue(
        realm.clients().get(camflowClient).roles().get("camflow:admin").toRepresentation() != null);
  }

  // ---- cannot read credentials, change the realm or its own permissions
  // ---------------------------

  @Test
  void cannotReadAnyClientsSecret() throws Exception {
    String token = servicesToken();
    int confidential = 0;
    for (ClientRepresentation client : realm.clients().findAll()) {
      boolean hasSecret = realm.clients().get(client.getId()).getSecret().getValue() != null;
      confidential += hasSecret ? 1 : 0;
      for (String path : List.of("/client-secret", "/client-secret/rotated")) {
        HttpResponse<String> secret = call(token, "GET", "/clients/" + client.getId() + path, null);
        if (hasSecret) {
          assertEquals(
              403, secret.statusCode(), client.getClientId() + path + ": " + secret.body());
        } else { // camflow, which it may view, has no secret: nothing to read, and no value in the
          // answer
          assertFalse(
              secret.body().contains("\"value\""),
              client.getClientId() + path + ": " + secret.body());
        }
      }
      HttpResponse<String> installation =
          call(
              token,
              "GET",
              "/clients/" + client.getId() + "/installation/providers/keycloak-oidc-keycloak-json",
              null);
      assertFalse(
          installation.body().contains("\"secret\""),
          client.getClientId() + ": " + installation.body());
    }
    assertTrue(confidential >= 2, "camflow-services and more have secrets: " + confidential);

    // nor list the clients (and their credentials) at all
    assertEquals(403, call(token, "GET", "/clients", null).statusCode());
    assertEquals(
        403, call(token, "GET", "/clients?clientId=camflow-provisioner", null).statusCode());
  }

  @Test
  void cannotChangeTheRealmNorItsAdminPermissions() throws Exception {
    String token = servicesToken();
    assertEquals(403, call(token, "PUT", "", Map.of("registrationAllowed", true)).statusCode());
    assertEquals(
        403, call(token, "PUT", "", Map.of("adminPermissionsEnabled", false)).statusCode());
    assertFalse(realm.toRepresentation().isRegistrationAllowed());
    // the admin permissions themselves: it must not be able to widen its own
    ClientRepresentation permissions = realm.toRepresentation().getAdminPermissionsClient();
    if (permissions != null) {
      String authz = "/clients/" + permissions.getId() + "/authz/resource-server";
      assertEquals(403, call(token, "GET", authz + "/permission", null).statusCode());
      assertEquals(
          403,
          call(
                  token,
                  "POST",
                  authz + "/permission/scope",
                  Map.of(
                      "name",
                      "it-" + random(),
                      "resourceType",
                      "Groups",
                      "scopes",
                      List.of("manage-membership")))
              .statusCode());
    }
  }

  // ---- can still do its job
  // -----------------------------------------------------------------------

  @Test
  void canStillGrantAndRevokeCameraAccess() throws Exception {
    try (CameraAccess access =
        new CameraAccess(
            new AdminSettings(kc.baseUrl(), LocalKeycloak.REALM, "camflow-services", SECRET))) {
      assertFalse(
          roles(Tokens.accessToken(kc, "viewer", "viewer"), "camflow")
              .contains("camera:garage:dvr"));
      try {
        access.grantUser("garage", Action.DVR, "viewer");
        assertTrue(
            roles(Tokens.accessToken(kc, "viewer", "viewer"), "camflow")
                .contains("camera:garage:dvr"));
        assertTrue(access.who("garage").dvr().users().contains("viewer"));
      } finally {
        access.revokeUser("garage", Action.DVR, "viewer");
      }
      assertFalse(
          roles(Tokens.accessToken(kc, "viewer", "viewer"), "camflow")
              .contains("camera:garage:dvr"));
      assertFalse(access.who("garage").dvr().users().contains("viewer"));
      assertEquals(
          Set.of("camera:demo:live"), roles(Tokens.accessToken(kc, "viewer", "viewer"), "camflow"));
    }
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  /** What anyone holding the secret gets: the client credentials grant of camflow-services. */
  private static String servicesToken() throws IOException, InterruptedException {
    String form =
        "grant_type=client_credentials&client_id=camflow-services&client_secret=" + enc(SECRET);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(kc.tokenEndpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("access_token").asText();
  }

  /** The admin REST API of realm camflow: {@code path} below {@code /admin/realms/camflow}. */
  private static HttpResponse<String> call(String token, String method, String path, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(kc.baseUrl() + "/admin/realms/" + LocalKeycloak.REALM + path))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The roles of a client in a token's {@code resource_access}; empty when the claim is absent. */
  private static Set<String> roles(String token, String client) throws IOException {
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    Set<String> roles = new TreeSet<>();
    claims.path("resource_access").path(client).path("roles").forEach(n -> roles.add(n.asText()));
    return roles;
  }

  private static RoleRepresentation realmManagementRole(String name) {
    return realm.clients().get(realmManagement).roles().get(name).toRepresentation();
  }

  private static String clientUuid(String clientId) {
    return realm.clients().findByClientId(clientId).getFirst().getId();
  }

  private static String userId(String username) {
    return realm.users().search(username, true).getFirst().getId();
  }

  private static String groupId(String path) {
    return realm.getGroupByPath(path).getId();
  }

  private static String createGroup(String name) {
    GroupRepresentation g = new GroupRepresentation();
    g.setName(name);
    try (Response r = realm.groups().add(g)) {
      String id = CreatedResponseUtil.getCreatedId(r);
      groupsToDelete.add(id);
      return id;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String random() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }
}
