package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.Tokens;
import io.camflow.localprocess.FreePorts;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.RoleScopeResource;
import org.keycloak.admin.client.resource.ScopePermissionsResource;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.authorization.ScopePermissionRepresentation;

/**
 * {@link CameraAccess} against the shared real Keycloak, as {@code camflow-services} with {@code
 * camflow-provisioner} for new cameras (as ingest runs it). Every change is undone: cameras of its
 * own ({@code it-<random>}) are deleted at the end, grants on the realm's own camera {@code garage}
 * are revoked in {@code finally}. What camflow-services alone may and may not do: {@link
 * ServiceAccountPrivilegesIT}.
 */
class CameraAccessIT {

  private static final String SECRET = "camflow-services-local-secret";
  private static final String PROVISIONER_SECRET = "camflow-provisioner-local-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalKeycloak kc;
  private static CameraAccess access;

  /** Set-up and clean-up behind CameraAccess's back: the master realm's bootstrap admin. */
  private static Keycloak raw;

  private static RealmResource realm;
  private static String camflowClient;
  private static final List<String> camerasToDelete = new ArrayList<>();
  private static final List<String> groupsToDelete = new ArrayList<>();

  @BeforeAll
  static void start() {
    kc = LocalKeycloak.shared();
    access = new CameraAccess(settings(SECRET), provisioner());
    raw =
        Keycloak.getInstance(
            kc.baseUrl().toString(),
            "master",
            LocalKeycloak.BOOTSTRAP_ADMIN,
            LocalKeycloak.BOOTSTRAP_ADMIN,
            "admin-cli");
    realm = raw.realm(LocalKeycloak.REALM);
    camflowClient = realm.clients().findByClientId("camflow").getFirst().getId();
  }

  @AfterAll
  static void cleanUp() {
    try {
      for (String camera : camerasToDelete) {
        for (String type : List.of(CameraAdminPermissions.GROUPS, CameraAdminPermissions.ROLES)) {
          permission(CameraAdminPermissions.permissionName(camera, type))
              .ifPresent(id -> permissions().findById(id).remove());
        }
        for (Action a : Action.values()) {
          CameraPermission p = new CameraPermission(camera, a);
          groupId("/" + p.groupName()).ifPresent(id -> realm.groups().group(id).remove());
          try {
            realm.clients().get(camflowClient).roles().deleteRole(p.roleName());
          } catch (NotFoundException absent) {
            // never created
          }
        }
      }
      for (String id : groupsToDelete) {
        try {
          realm.groups().group(id).remove();
        } catch (NotFoundException gone) {
          // the test removed it already
        }
      }
    } finally {
      if (access != null) {
        access.close();
      }
      if (raw != null) {
        raw.close();
      }
    }
  }

  @Test
  void ensureCameraCreatesRolesAndGroupsOnceEach() {
    String camera = newCamera();
    long t0 = System.nanoTime();
    access.ensureCamera(camera);
    long first = millisSince(t0);
    t0 = System.nanoTime();
    access.ensureCamera(camera);
    System.out.println(
        "CameraAccessIT: ensureCamera " + first + " ms, again " + millisSince(t0) + " ms");

    Set<String> roles = new TreeSet<>();
    realm
        .clients()
        .get(camflowClient)
        .roles()
        .list("camera:" + camera + ":", true)
        .forEach(r -> roles.add(r.getName()));
    assertEquals(
        Set.of(
            "camera:" + camera + ":live",
            "camera:" + camera + ":dvr",
            "camera:" + camera + ":publish"),
        roles);
    for (Action a : Action.values()) {
      CameraPermission p = new CameraPermission(camera, a);
      List<GroupRepresentation> groups = realm.groups().groups(p.groupName(), true, 0, 10, true);
      assertEquals(1, groups.size(), groups.toString());
      assertEquals("/" + p.groupName(), groups.getFirst().getPath());
      assertEquals(
          List.of(p.roleName()),
          realm
              .groups()
              .group(groups.getFirst().getId())
              .roles()
              .clientLevel(camflowClient)
              .listAll()
              .stream()
              .map(RoleRepresentation::getName)
              .toList());
    }
    CameraAccessList list = access.who(camera);
    assertEquals(new Grants(List.of(), List.of("camera-" + camera + "-live")), list.live());
    assertEquals(new Grants(List.of(), List.of("camera-" + camera + "-dvr")), list.dvr());
    assertEquals(new Grants(List.of(), List.of("camera-" + camera + "-publish")), list.publish());

    // and camflow-services may grant exactly these groups and roles
    Set<String> groupIds = new TreeSet<>();
    Set<String> roleIds = new TreeSet<>();
    for (Action a : Action.values()) {
      CameraPermission p = new CameraPermission(camera, a);
      groupIds.add(groupId("/" + p.groupName()).orElseThrow());
      roleIds.add(
          realm.clients().get(camflowClient).roles().get(p.roleName()).toRepresentation().getId());
    }
    assertEquals(
        groupIds,
        resourcesOf(CameraAdminPermissions.permissionName(camera, CameraAdminPermissions.GROUPS)));
    assertEquals(
        roleIds,
        resourcesOf(CameraAdminPermissions.permissionName(camera, CameraAdminPermissions.ROLES)));
  }

  @Test
  void withoutAProvisionerANewCameraIsUnknownAndNothingIsCreated() {
    String camera = newCamera();
    try (CameraAccess services = new CameraAccess(settings(SECRET))) {
      assertFalse(services.provisions());
      UnknownCameraException e =
          assertThrows(UnknownCameraException.class, () -> services.ensureCamera(camera));
      assertTrue(e.getMessage().contains("CAMFLOW_KEYCLOAK_PROVISIONER_SECRET"), e.getMessage());
      assertThrows(
          UnknownCameraException.class, () -> services.grantUser(camera, Action.LIVE, "viewer"));
      assertThrows(
          UnknownCameraException.class,
          () -> services.grantGroup(camera, Action.DVR, "camflow-admins"));
      assertEquals(
          List.of(),
          realm.clients().get(camflowClient).roles().list("camera:" + camera + ":", true));
      assertTrue(groupId("/camera-" + camera + "-live").isEmpty());

      // once provisioned, the same account grants and revokes
      access.ensureCamera(camera);
      services.ensureCamera(camera); // now only a check
      services.grantUser(camera, Action.LIVE, "viewer");
      assertTrue(camflowRoles("viewer").contains("camera:" + camera + ":live"));
      services.revokeUser(camera, Action.LIVE, "viewer");
      assertFalse(camflowRoles("viewer").contains("camera:" + camera + ":live"));
    }
  }

  /**
   * A camera provisioned by hand, or by camflow before its account was restricted, has no
   * permissions yet.
   */
  @Test
  void provisioningAgainRestoresMissingPermissions() {
    String camera = newCamera();
    access.ensureCamera(camera);
    String name = CameraAdminPermissions.permissionName(camera, CameraAdminPermissions.GROUPS);
    permissions().findById(permission(name).orElseThrow()).remove();
    try (CameraAccess services = new CameraAccess(settings(SECRET))) {
      NotPermittedException e =
          assertThrows(
              NotPermittedException.class, () -> services.grantUser(camera, Action.LIVE, "viewer"));
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
      access.ensureCamera(camera);
      services.grantUser(camera, Action.LIVE, "viewer");
      services.revokeUser(camera, Action.LIVE, "viewer");
    }
    assertFalse(camflowRoles("viewer").contains("camera:" + camera + ":live"));
  }

  /**
   * A camera provisioned before {@code publish} existed has no publish role or group: camflow's own
   * account still grants what it has, and the next provisioning pass (ingest at start) adds the
   * missing role, group and permissions, after which publish is granted like the others.
   */
  @Test
  void aCameraWithoutPublishKeepsItsGrantsAndGetsPublishOnTheNextPass() {
    String camera = newCamera();
    access.ensureCamera(camera);
    CameraPermission publish = new CameraPermission(camera, Action.PUBLISH);
    realm.groups().group(groupId("/" + publish.groupName()).orElseThrow()).remove();
    realm.clients().get(camflowClient).roles().deleteRole(publish.roleName());
    try (CameraAccess services = new CameraAccess(settings(SECRET))) {
      assertEquals(Grants.none(), services.who(camera).publish());
      assertThrows(UnknownCameraException.class, () -> services.ensureCamera(camera));
      assertThrows(
          UnknownCameraException.class,
          () -> services.grantUser(camera, Action.PUBLISH, "outsider"));
      services.grantUser(camera, Action.LIVE, "outsider"); // the camera's other grants go on
      services.revokeUser(camera, Action.LIVE, "outsider");

      access.ensureCamera(camera); // the next pass
      services.ensureCamera(camera);
      assertEquals(
          List.of(publish.groupName()), services.who(camera).publish().groups(), "group and role");
      services.grantUser(camera, Action.PUBLISH, "outsider");
      try {
        Set<String> roles = camflowRoles("outsider");
        assertTrue(roles.contains(publish.roleName()), roles.toString());
        assertFalse(roles.contains("camera:" + camera + ":live"), "publish implies no live");
        CameraAccessList list = services.who(camera);
        assertEquals(List.of("outsider"), list.publish().users(), list.toString());
        assertEquals(List.of(), list.live().users(), list.toString());
      } finally {
        services.revokeUser(camera, Action.PUBLISH, "outsider");
      }
      assertFalse(camflowRoles("outsider").contains(publish.roleName()));
    }
  }

  /**
   * The realm's camera garage, as the brief says: viewer has demo live only, so garage is a change.
   */
  @Test
  void grantUserShowsInTheNextTokenAndRevokeUserRemovesIt() {
    assertFalse(camflowRoles("viewer").contains("camera:garage:live"));
    try {
      access.grantUser("garage", Action.LIVE, "viewer");
      assertTrue(
          camflowRoles("viewer").contains("camera:garage:live"), "granted role not in the token");
      long t0 = System.nanoTime();
      CameraAccessList garage = access.who("garage");
      System.out.println("CameraAccessIT: who(garage) " + millisSince(t0) + " ms: " + garage);
      assertTrue(garage.live().users().contains("viewer"), garage.toString());
      assertTrue(
          garage.live().users().contains("admin"), garage.toString()); // through camflow-admins
      assertTrue(
          garage.live().groups().containsAll(List.of("camera-garage-live", "camflow-admins")));
      assertFalse(garage.dvr().users().contains("viewer"), garage.toString());
    } finally {
      access.revokeUser("garage", Action.LIVE, "viewer");
    }
    assertFalse(
        camflowRoles("viewer").contains("camera:garage:live"), "revoked role still in the token");
    assertFalse(access.who("garage").live().users().contains("viewer"));
    assertEquals(Set.of("camera:demo:live"), camflowRoles("viewer")); // as the realm file has it
  }

  @Test
  void revokeUserAlsoDropsADirectRoleMapping() {
    String camera = newCamera();
    access.ensureCamera(camera);
    RoleRepresentation live =
        realm
            .clients()
            .get(camflowClient)
            .roles()
            .get("camera:" + camera + ":live")
            .toRepresentation();
    RoleScopeResource outsiderRoles =
        realm.users().get(userId("outsider")).roles().clientLevel(camflowClient);
    try {
      outsiderRoles.add(List.of(live)); // as an operator might in the console
      assertTrue(camflowRoles("outsider").contains(live.getName()));
      assertEquals(List.of("outsider"), access.who(camera).live().users());

      access.revokeUser(camera, Action.LIVE, "outsider");
      assertFalse(camflowRoles("outsider").contains(live.getName()));
      assertEquals(List.of(), access.who(camera).live().users());
      access.revokeUser(camera, Action.LIVE, "outsider"); // nothing left to revoke: fine
    } finally {
      outsiderRoles.remove(List.of(live));
    }
  }

  @Test
  void grantGroupReachesMembersOfSubGroupsAndRevokeGroupTakesItBack() {
    String camera = newCamera();
    String crew = "it-crew-" + random();
    String crewId = createGroup(null, crew);
    String nightId = createGroup(crewId, "night");
    realm.users().get(userId("outsider")).joinGroup(nightId);
    // an administrator allows camflow to grant to these two groups (docs/permissions.md)
    String allowed = allowGranting("it-grantable-" + crew, crewId, nightId);
    try {
      access.grantGroup(camera, Action.DVR, crew);
      CameraAccessList list = access.who(camera);
      assertEquals(
          new Grants(List.of("outsider"), List.of("camera-" + camera + "-dvr", crew)), list.dvr());
      assertEquals(Grants.none().users(), list.live().users());
      assertTrue(camflowRoles("outsider").contains("camera:" + camera + ":dvr"));

      // a nested group by its path; revoking the parent's grant leaves the child's own
      access.grantGroup(camera, Action.LIVE, "/" + crew + "/night");
      CameraAccessList nested = access.who(camera);
      assertTrue(nested.live().groups().contains("night"), nested.toString());
      assertEquals(List.of("outsider"), nested.live().users());
      access.revokeGroup(camera, Action.DVR, crew);
      access.revokeGroup(camera, Action.DVR, crew); // idempotent
      Set<String> roles = camflowRoles("outsider");
      assertFalse(roles.contains("camera:" + camera + ":dvr"), roles.toString());
      assertTrue(roles.contains("camera:" + camera + ":live"), roles.toString());
      access.revokeGroup(camera, Action.LIVE, "/" + crew + "/night");
      assertTrue(access.who(camera).live().users().isEmpty());
    } finally {
      permissions().findById(allowed).remove();
      realm.groups().group(crewId).remove(); // takes the sub-group and its memberships along
    }
  }

  @Test
  void groupsCamflowWasNotAllowedToGrantToAreRefused() {
    String camera = newCamera();
    access.ensureCamera(camera);
    String other = "it-other-" + random();
    createGroup(null, other);
    NotPermittedException e =
        assertThrows(
            NotPermittedException.class, () -> access.grantGroup(camera, Action.LIVE, other));
    assertTrue(
        e.getMessage().contains(other) && e.getMessage().contains("docs/permissions.md"),
        e.getMessage());
    assertThrows(
        NotPermittedException.class, () -> access.grantGroup(camera, Action.DVR, "camflow-admins"));
    assertThrows(
        NotPermittedException.class,
        () -> access.grantGroup(camera, Action.DVR, "camera-demo-live"));
    assertEquals(List.of("camera-" + camera + "-live"), access.who(camera).live().groups());
    assertEquals(List.of("camera-" + camera + "-dvr"), access.who(camera).dvr().groups());
  }

  @Test
  void theCamerasOwnGroupCannotLoseItsRole() {
    String camera = newCamera();
    access.ensureCamera(camera);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> access.revokeGroup(camera, Action.LIVE, "camera-" + camera + "-live"));
    assertTrue(e.getMessage().contains("camera-" + camera + "-live"), e.getMessage());
    assertEquals(List.of("camera-" + camera + "-live"), access.who(camera).live().groups());
  }

  @Test
  void unknownUsersGroupsAndCamerasHaveTheirOwnExceptions() {
    String camera = newCamera();
    // exact user names: "view" is a prefix of viewer, not a user; nothing is created for a failed
    // grant
    UnknownUserException user =
        assertThrows(
            UnknownUserException.class, () -> access.grantUser(camera, Action.LIVE, "view"));
    assertEquals("view", user.username());
    assertTrue(user.getMessage().contains("'view'"), user.getMessage());
    UnknownCameraException cam =
        assertThrows(UnknownCameraException.class, () -> access.who(camera));
    assertEquals(camera, cam.camera());

    access.ensureCamera(camera);
    assertThrows(
        UnknownUserException.class,
        () -> access.revokeUser(camera, Action.DVR, "nobody-" + random()));
    UnknownGroupException group =
        assertThrows(
            UnknownGroupException.class,
            () ->
                access.grantGroup(
                    camera, Action.LIVE, "camera-" + camera)); // prefix of camera-<id>-live
    assertEquals("camera-" + camera, group.group());
    assertThrows(
        UnknownGroupException.class,
        () -> access.revokeGroup(camera, Action.LIVE, "/no/such/path"));

    String never = "it-never-" + random();
    assertThrows(
        UnknownCameraException.class, () -> access.revokeUser(never, Action.LIVE, "viewer"));
    assertThrows(
        UnknownCameraException.class,
        () -> access.revokeGroup(never, Action.DVR, "camflow-admins"));
    assertThrows(UnknownCameraException.class, () -> access.who(never));
  }

  @Test
  void malformedArgumentsFailBeforeAnyCall() {
    try (CameraAccess offline =
        new CameraAccess(
            new AdminSettings(
                URI.create("http://localhost:1"), "camflow", "camflow-services", SECRET))) {
      assertThrows(
          IllegalArgumentException.class, () -> offline.grantUser("Garage", Action.LIVE, "viewer"));
      assertThrows(IllegalArgumentException.class, () -> offline.who("../garage"));
      assertThrows(
          IllegalArgumentException.class, () -> offline.grantUser("garage", Action.LIVE, " "));
      assertThrows(
          IllegalArgumentException.class, () -> offline.grantGroup("garage", Action.LIVE, ""));
      assertThrows(NullPointerException.class, () -> offline.grantUser("garage", null, "viewer"));
    }
  }

  @Test
  void aWrongSecretIsUnavailableAndTheSecretIsNotRepeated() {
    String wrong = "wrong-secret-" + random();
    try (CameraAccess bad = new CameraAccess(settings(wrong))) {
      AdminUnavailableException e =
          assertThrows(AdminUnavailableException.class, () -> bad.who("garage"));
      System.out.println("CameraAccessIT: wrong secret -> " + e.getMessage());
      assertTrue(
          e.getMessage().contains("camflow-services") && e.getMessage().contains("401"),
          e.getMessage());
      String trace = stackTrace(e);
      assertFalse(trace.contains(wrong), trace);
      assertFalse(trace.contains(SECRET), trace);
      assertFalse(bad.toString().contains(wrong));
    }
  }

  @Test
  void anUnreachableKeycloakIsUnavailable() {
    int closedPort = FreePorts.find(1)[0];
    try (CameraAccess down =
        new CameraAccess(
            new AdminSettings(
                URI.create("http://localhost:" + closedPort),
                "camflow",
                "camflow-services",
                SECRET))) {
      long t0 = System.nanoTime();
      AdminUnavailableException e =
          assertThrows(
              AdminUnavailableException.class,
              () -> down.grantUser("garage", Action.LIVE, "viewer"));
      assertTrue(millisSince(t0) < CameraAccess.CONNECT_TIMEOUT.toMillis() + 2000);
      assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
      assertFalse(stackTrace(e).contains(SECRET));
    }
  }

  /**
   * ingest and delivery may set up the same camera at once: no error, one role and one group per
   * action.
   */
  @Test
  void concurrentSetUpAndGrantsFromTwoClients() throws Exception {
    String camera = newCamera();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (CameraAccess other = new CameraAccess(settings(SECRET), provisioner())) {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        CameraAccess client = i % 2 == 0 ? access : other;
        String user = i % 4 < 2 ? "outsider" : "viewer";
        tasks.add(
            () -> {
              client.ensureCamera(camera);
              client.grantUser(camera, Action.LIVE, user);
              return null;
            });
      }
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    try {
      assertEquals(
          Action.values().length,
          realm.clients().get(camflowClient).roles().list("camera:" + camera + ":", true).size());
      assertEquals(
          1, realm.groups().groups("camera-" + camera + "-live", true, 0, 10, true).size());
      assertEquals(List.of("outsider", "viewer"), access.who(camera).live().users());
    } finally {
      access.revokeUser(camera, Action.LIVE, "outsider");
      access.revokeUser(camera, Action.LIVE, "viewer");
    }
    assertTrue(access.who(camera).live().users().isEmpty());
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  private static AdminSettings settings(String secret) {
    return new AdminSettings(kc.baseUrl(), LocalKeycloak.REALM, "camflow-services", secret);
  }

  private static AdminSettings provisioner() {
    return new AdminSettings(
        kc.baseUrl(), LocalKeycloak.REALM, "camflow-provisioner", PROVISIONER_SECRET);
  }

  /** The realm's admin permissions (Keycloak's fine-grained admin permissions V2). */
  private static ScopePermissionsResource permissions() {
    String client = realm.toRepresentation().getAdminPermissionsClient().getId();
    return realm.clients().get(client).authorization().permissions().scope();
  }

  private static Optional<String> permission(String name) {
    ScopePermissionRepresentation p = permissions().findByName(name);
    return p == null ? Optional.empty() : Optional.of(p.getId());
  }

  /** The ids of the groups or roles a permission covers. */
  private static Set<String> resourcesOf(String permissionName) {
    Set<String> ids = new TreeSet<>();
    permissions()
        .findById(permission(permissionName).orElseThrow())
        .resources()
        .forEach(r -> ids.add(r.getName()));
    return ids;
  }

  /**
   * What an administrator does to let camflow grant cameras to these groups; the permission's id.
   */
  private static String allowGranting(String name, String... groupIds) {
    ScopePermissionRepresentation p = new ScopePermissionRepresentation();
    p.setName(name);
    p.setResourceType("Groups");
    p.setResources(Set.of(groupIds));
    p.setScopes(Set.of("manage"));
    p.setPolicies(Set.of("camflow-services"));
    try (Response r = permissions().create(p)) {
      assertEquals(201, r.getStatus());
      return r.readEntity(ScopePermissionRepresentation.class).getId();
    }
  }

  private static String newCamera() {
    String camera = "it-" + random();
    camerasToDelete.add(camera);
    return camera;
  }

  private static String random() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  /** The roles of client camflow in the user's next access token; none when the claim is absent. */
  private static Set<String> camflowRoles(String user) {
    try {
      String token =
          Tokens.accessToken(kc, user, user); // the local realm's passwords are the names
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
      Set<String> roles = new TreeSet<>();
      claims
          .path("resource_access")
          .path("camflow")
          .path("roles")
          .forEach(n -> roles.add(n.asText()));
      return roles;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String userId(String username) {
    return realm.users().search(username, true).getFirst().getId();
  }

  private static Optional<String> groupId(String path) {
    try {
      return Optional.of(realm.getGroupByPath(path).getId());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static String createGroup(String parentId, String name) {
    GroupRepresentation g = new GroupRepresentation();
    g.setName(name);
    try (Response r =
        parentId == null ? realm.groups().add(g) : realm.groups().group(parentId).subGroup(g)) {
      String id = CreatedResponseUtil.getCreatedId(r);
      if (parentId == null) {
        groupsToDelete.add(id);
      }
      return id;
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static long millisSince(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }
}
