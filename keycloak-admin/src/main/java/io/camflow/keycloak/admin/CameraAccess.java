package io.camflow.keycloak.admin;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.spi.ResteasyClientClassicProvider;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Grants, revokes and lists camera permissions in Keycloak (the model of docs/permissions.md):
 * client roles {@code camera:<id>:live|dvr|publish} of client {@code camflow}, carried by the
 * groups {@code camera-<id>-live|dvr|publish}. Granting a user means adding them to the group, so
 * the admin console shows the same picture.
 *
 * <p>Two accounts, two powers. Grants, revocations and lists run as {@code camflow-services}, whose
 * admin permissions cover the camera groups' members and the camera roles' mappings, and nothing
 * that could make anyone an admin. <em>Provisioning</em> a camera — creating its roles and groups
 * and allowing {@code camflow-services} to grant them — needs an account that may change client
 * {@code camflow} and the realm's admin permissions, which is as good as a realm administrator: the
 * optional {@code provisioner} ({@code camflow-provisioner}; ingest may hold it, delivery never).
 * Without it a camera Keycloak does not know is an {@link UnknownCameraException}.
 *
 * <p>Logs in lazily, on the first call, with the client credentials grant of {@link
 * AdminSettings#clientId()} (keycloak-admin-client renews the token itself). Safe for concurrent
 * use: the HTTP client pools connections, and the writes are idempotent and tolerate concurrent
 * writers in other threads or processes. Changes show in a user's <em>next</em> token; tokens
 * already issued keep their roles until they expire.
 *
 * <p>Failures are {@link AdminException}s: {@link UnknownUserException}, {@link
 * UnknownGroupException}, {@link UnknownCameraException} (404 material), {@link
 * AdminUnavailableException} (503 material), {@link NotPermittedException} (Keycloak's 403: outside
 * the account's permissions), or a plain {@code AdminException} for any other answer of Keycloak.
 * Malformed arguments (camera ids outside {@link CameraPermission#CAMERA_ID}, blank names) are
 * {@link IllegalArgumentException}s.
 */
public final class CameraAccess implements AutoCloseable {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Admin calls are small; a slower answer means Keycloak is in trouble, and the caller is waiting.
   */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  private final AdminSettings settings;
  private final Keycloak keycloak;
  private final CamflowRealm realm;

  /** Empty: cameras are provisioned by someone else (an administrator, or ingest). */
  private final Optional<Provisioner> provisioner;

  /** Grants, revokes and lists as {@code settings} (camflow-services); cannot provision cameras. */
  public CameraAccess(AdminSettings settings) {
    this(settings, null);
  }

  /**
   * Connects nothing yet: the first call logs in.
   *
   * @param settings camflow's own account ({@code camflow-services})
   * @param provisioner the account that provisions cameras ({@code camflow-provisioner}), or null
   *     for none
   */
  public CameraAccess(AdminSettings settings, AdminSettings provisioner) {
    this.settings = Objects.requireNonNull(settings, "settings");
    if (provisioner != null && !provisioner.realm().equals(settings.realm())) {
      throw new IllegalArgumentException(
          "the provisioner's realm "
              + provisioner.realm()
              + " is not camflow's realm "
              + settings.realm());
    }
    this.keycloak = login(settings);
    this.realm = new CamflowRealm(keycloak.realm(settings.realm()), settings.realm());
    this.provisioner =
        Optional.ofNullable(provisioner)
            .map(p -> new Provisioner(p, login(p), settings.clientId()));
  }

  private static Keycloak login(AdminSettings settings) {
    // keycloak-admin-client's own client, plus timeouts (it has none: a hung Keycloak would hang
    // us)
    Client http =
        ResteasyClientClassicProvider.createClientBuilder()
            .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .register(JacksonProvider.class, 100)
            .build();
    return KeycloakBuilder.builder()
        .serverUrl(settings.serverUrl().toString())
        .realm(settings.realm())
        .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
        .clientId(settings.clientId())
        .clientSecret(settings.clientSecret())
        .resteasyClient(http)
        .build();
  }

  /**
   * Whether this instance may provision cameras ({@link #ensureCamera} creates what is missing).
   */
  public boolean provisions() {
    return provisioner.isPresent();
  }

  /**
   * With a provisioner: creates what is missing of the camera's roles {@code
   * camera:<id>:live|dvr|publish}, its groups {@code camera-<id>-live|dvr|publish}, each group's
   * mapping of its role and the admin permissions that let {@code camflow-services} grant them.
   * Idempotent, so a camera provisioned before an action existed gets that action's role and group
   * here; ingest calls it when a camera is added. Without one: checks that the camera is
   * provisioned.
   *
   * @throws UnknownCameraException no provisioner, and one of the camera's roles or groups is
   *     missing
   */
  public void ensureCamera(String camera) {
    CameraPermission.requireCameraId(camera);
    call(
        "set up the roles and groups of camera " + camera,
        () -> {
          provisionIfAble(camera);
          for (Action action : Action.values()) {
            cameraGroup(camera, action);
          }
          return null;
        });
  }

  /**
   * Who holds the camera's permissions: user names with the role directly or through a group
   * holding it (members of its sub-groups included), and the groups holding it directly. Roles
   * reached only through a composite role are not followed (camflow's realm has none).
   *
   * <p>An action whose role is missing (a camera provisioned before the action existed) is held by
   * nobody.
   *
   * @throws UnknownCameraException the camera has none of the roles
   */
  public CameraAccessList who(String camera) {
    CameraPermission.requireCameraId(camera);
    return call(
        "list who may watch camera " + camera,
        () -> {
          Map<Action, Grants> found = new EnumMap<>(Action.class);
          for (Action action : Action.values()) {
            grants(new CameraPermission(camera, action)).ifPresent(g -> found.put(action, g));
          }
          if (found.isEmpty()) {
            throw new UnknownCameraException(
                camera,
                "client "
                    + CamflowRealm.CLIENT
                    + " has none of the roles "
                    + String.join(
                        ", ",
                        Arrays.stream(Action.values())
                            .map(a -> new CameraPermission(camera, a).roleName())
                            .toList()));
          }
          return new CameraAccessList(
              camera,
              found.getOrDefault(Action.LIVE, Grants.none()),
              found.getOrDefault(Action.DVR, Grants.none()),
              found.getOrDefault(Action.PUBLISH, Grants.none()));
        });
  }

  /**
   * Adds the user to the group {@code camera-<id>-<action>} (provisioning the camera first if this
   * instance has a provisioner).
   *
   * @throws UnknownCameraException the camera is not provisioned (and this instance cannot)
   */
  public void grantUser(String camera, Action action, String username) {
    CameraPermission p = permission(camera, action);
    requireName(username, "username");
    call(
        "grant " + describe(p) + " to user " + username,
        () -> {
          UserRepresentation user = realm.user(username);
          realm.join(user.getId(), camera(camera, action).group().getId());
          return null;
        });
  }

  /**
   * Removes the user from the group {@code camera-<id>-<action>} and drops a direct mapping of the
   * role. The user keeps the permission if another group grants it ({@link #who} shows those
   * groups).
   *
   * @throws UnknownCameraException the camera has no role for this action
   */
  public void revokeUser(String camera, Action action, String username) {
    CameraPermission p = permission(camera, action);
    requireName(username, "username");
    call(
        "revoke " + describe(p) + " from user " + username,
        () -> {
          RoleRepresentation role = existingRole(p);
          UserRepresentation user = realm.user(username);
          realm
              .groupByPath("/" + p.groupName())
              .ifPresent(g -> realm.leave(user.getId(), g.getId()));
          CamflowRealm.unmap(realm.userRoles(user.getId()), role);
          return null;
        });
  }

  /**
   * Maps the role {@code camera:<id>:<action>} onto a group, so its members and the members of its
   * sub-groups hold it. {@code camflow-services} may change the roles only of groups a Keycloak
   * administrator allowed it to (docs/permissions.md, "Granting to groups").
   *
   * @param group a group name, or a path such as {@code /staff/night-shift} when the name is not
   *     unique
   * @throws NotPermittedException the group is not one camflow may grant to
   */
  public void grantGroup(String camera, Action action, String group) {
    CameraPermission p = permission(camera, action);
    requireName(group, "group");
    call(
        "grant " + describe(p) + " to group " + group,
        () -> {
          GroupRepresentation target = realm.group(group);
          RoleRepresentation role = camera(camera, action).role();
          groupRoleChange(target, () -> CamflowRealm.map(realm.groupRoles(target.getId()), role));
          return null;
        });
  }

  /**
   * Removes the role {@code camera:<id>:<action>} from a group. Not from the camera's own group
   * {@code camera-<id>-<action>}: that group is how the permission is granted; revoke its members
   * instead.
   *
   * @throws UnknownCameraException the camera has no role for this action
   */
  public void revokeGroup(String camera, Action action, String group) {
    CameraPermission p = permission(camera, action);
    requireName(group, "group");
    call(
        "revoke " + describe(p) + " from group " + group,
        () -> {
          RoleRepresentation role = existingRole(p);
          GroupRepresentation target = realm.group(group);
          if (("/" + p.groupName()).equals(target.getPath())) {
            throw new IllegalArgumentException(
                "group "
                    + p.groupName()
                    + " is how "
                    + describe(p)
                    + " is granted; remove its members instead");
          }
          groupRoleChange(target, () -> CamflowRealm.unmap(realm.groupRoles(target.getId()), role));
          return null;
        });
  }

  /** Logs out and closes the HTTP clients. */
  @Override
  public void close() {
    try {
      keycloak.close();
    } finally {
      provisioner.ifPresent(p -> p.keycloak().close());
    }
  }

  @Override
  public String toString() {
    return "CameraAccess["
        + settings
        + provisioner.map(p -> ", provisioner " + p.settings()).orElse("")
        + "]";
  }

  // ---- internals
  // ----------------------------------------------------------------------------------

  /** A camera's role and group for one action, as {@link #camera} found them. */
  private record CameraGroup(RoleRepresentation role, GroupRepresentation group) {}

  /** The account that provisions cameras, with its own login. */
  private record Provisioner(
      AdminSettings settings,
      Keycloak keycloak,
      CamflowRealm realm,
      CameraAdminPermissions permissions) {
    Provisioner(AdminSettings settings, Keycloak keycloak, String grantee) {
      this(
          settings,
          keycloak,
          new CamflowRealm(keycloak.realm(settings.realm()), settings.realm()),
          new CameraAdminPermissions(keycloak.realm(settings.realm()), settings.realm(), grantee));
    }
  }

  /**
   * The camera's role and group for one action: the camera provisioned first when this instance can
   * ({@link #provisionIfAble}), then looked up as camflow's own account. Only this action's role
   * and group must exist: a camera provisioned before another action existed is still granted the
   * ones it has.
   */
  private CameraGroup camera(String camera, Action action) {
    provisionIfAble(camera);
    return cameraGroup(camera, action);
  }

  /**
   * Provisions the camera when this instance has a provisioner (idempotent, and it repairs a camera
   * whose roles, groups or permissions are missing); else nothing.
   */
  private void provisionIfAble(String camera) {
    if (provisioner.isPresent()) {
      Provisioner p = provisioner.get();
      try {
        provision(p, camera);
      } catch (ProcessingException | WebApplicationException e) {
        p.realm().forgetClient();
        throw KeycloakFailures.translate(e, "provision camera " + camera, p.settings());
      }
    }
  }

  private CameraGroup cameraGroup(String camera, Action action) {
    CameraPermission cp = new CameraPermission(camera, action);
    Optional<RoleRepresentation> role = realm.role(cp.roleName());
    Optional<GroupRepresentation> group = realm.groupByPath("/" + cp.groupName());
    if (role.isEmpty() || group.isEmpty()) {
      throw new UnknownCameraException(
          camera,
          "it has no "
              + (role.isEmpty() ? "role " + cp.roleName() : "group " + cp.groupName())
              + " yet. Cameras are provisioned by ingest when it holds"
              + " CAMFLOW_KEYCLOAK_PROVISIONER_SECRET, or by a Keycloak administrator (docs/permissions.md)");
    }
    return new CameraGroup(role.get(), group.get());
  }

  private static void provision(Provisioner p, String camera) {
    Set<String> groups = new HashSet<>();
    Set<String> roles = new HashSet<>();
    for (Action action : Action.values()) {
      CameraPermission cp = new CameraPermission(camera, action);
      RoleRepresentation role = p.realm().ensureRole(cp.roleName(), cp.roleDescription());
      GroupRepresentation group = p.realm().ensureTopLevelGroup(cp.groupName());
      CamflowRealm.map(p.realm().groupRoles(group.getId()), role);
      groups.add(group.getId());
      roles.add(role.getId());
    }
    p.permissions().allowMembership(camera, groups);
    p.permissions().allowMapping(camera, roles);
  }

  /** A change of a group's role mappings; a 403 means the group is not one camflow may grant to. */
  private void groupRoleChange(GroupRepresentation group, Runnable change) {
    try {
      change.run();
    } catch (ForbiddenException e) {
      throw new NotPermittedException(
          settings.clientId()
              + " may not change the roles of group "
              + group.getPath()
              + ": a Keycloak administrator must allow it first (docs/permissions.md,"
              + " \"Granting to groups\")",
          e);
    }
  }

  private Optional<Grants> grants(CameraPermission p) {
    if (realm.role(p.roleName()).isEmpty()) {
      return Optional.empty();
    }
    List<GroupRepresentation> groups = realm.groupsHolding(p.roleName());
    Set<String> users = new HashSet<>(realm.directUsernames(p.roleName()));
    for (GroupRepresentation group : groups) {
      realm.collectMembers(group.getId(), users);
    }
    return Optional.of(
        new Grants(List.copyOf(users), groups.stream().map(GroupRepresentation::getName).toList()));
  }

  private RoleRepresentation existingRole(CameraPermission p) {
    return realm
        .role(p.roleName())
        .orElseThrow(
            () ->
                new UnknownCameraException(
                    p.camera(), "client " + CamflowRealm.CLIENT + " has no role " + p.roleName()));
  }

  /**
   * Runs one admin operation, turning keycloak-admin-client's exceptions into {@link
   * AdminException}s.
   */
  private <T> T call(String attempt, Supplier<T> operation) {
    if (keycloak.isClosed()) {
      throw new IllegalStateException("CameraAccess is closed");
    }
    try {
      return operation.get();
    } catch (ProcessingException | WebApplicationException e) {
      realm.forgetClient();
      throw KeycloakFailures.translate(e, attempt, settings);
    }
  }

  private static CameraPermission permission(String camera, Action action) {
    return new CameraPermission(camera, Objects.requireNonNull(action, "action"));
  }

  private static String describe(CameraPermission p) {
    return p.action().id() + " of camera " + p.camera();
  }

  private static void requireName(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is missing or blank");
    }
  }
}
