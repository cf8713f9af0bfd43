package io.camflow.keycloak.admin;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.spi.ResteasyClientClassicProvider;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Grants, revokes and lists camera permissions in Keycloak (the model of docs/permissions.md): client roles
 * {@code camera:<id>:live|dvr} of client {@code camflow}, carried by the groups {@code camera-<id>-live|dvr}.
 * Granting a user means adding them to the group, so the admin console shows the same picture.
 *
 * <p>Logs in lazily, on the first call, with the client credentials grant of {@link AdminSettings#clientId()}
 * (keycloak-admin-client renews the token itself). Safe for concurrent use: the HTTP client pools
 * connections, and the writes are idempotent and tolerate concurrent writers in other threads or processes.
 * Changes show in a user's <em>next</em> token; tokens already issued keep their roles until they expire.
 *
 * <p>Failures are {@link AdminException}s: {@link UnknownUserException}, {@link UnknownGroupException},
 * {@link UnknownCameraException} (404 material), {@link AdminUnavailableException} (503 material), or a plain
 * {@code AdminException} for any other answer of Keycloak. Malformed arguments (camera ids outside
 * {@link CameraPermission#CAMERA_ID}, blank names) are {@link IllegalArgumentException}s.
 */
public final class CameraAccess implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Admin calls are small; a slower answer means Keycloak is in trouble, and the caller is waiting. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private final AdminSettings settings;
    private final Keycloak keycloak;
    private final CamflowRealm realm;

    /** Connects nothing yet: the first call logs in. */
    public CameraAccess(AdminSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        // keycloak-admin-client's own client, plus timeouts (it has none: a hung Keycloak would hang us)
        Client http = ResteasyClientClassicProvider.createClientBuilder()
                .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .register(JacksonProvider.class, 100)
                .build();
        this.keycloak = KeycloakBuilder.builder()
                .serverUrl(settings.serverUrl().toString())
                .realm(settings.realm())
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .resteasyClient(http)
                .build();
        this.realm = new CamflowRealm(keycloak.realm(settings.realm()), settings.realm());
    }

    /**
     * Creates what is missing of the camera's roles {@code camera:<id>:live|dvr}, its groups
     * {@code camera-<id>-live|dvr} and each group's mapping of its role. Idempotent; ingest calls it when a
     * camera is added.
     */
    public void ensureCamera(String camera) {
        CameraPermission.requireCameraId(camera);
        call("set up the roles and groups of camera " + camera, () -> ensure(camera));
    }

    /**
     * Who holds the camera's permissions: user names with the role directly or through a group holding it
     * (members of its sub-groups included), and the groups holding it directly. Roles reached only through a
     * composite role are not followed (camflow's realm has none).
     *
     * @throws UnknownCameraException the camera has neither role
     */
    public CameraAccessList who(String camera) {
        CameraPermission.requireCameraId(camera);
        return call("list who may watch camera " + camera, () -> {
            Optional<Grants> live = grants(new CameraPermission(camera, Action.LIVE));
            Optional<Grants> dvr = grants(new CameraPermission(camera, Action.DVR));
            if (live.isEmpty() && dvr.isEmpty()) {
                throw new UnknownCameraException(camera, "client " + CamflowRealm.CLIENT + " has no role camera:"
                        + camera + ":live or camera:" + camera + ":dvr");
            }
            return new CameraAccessList(camera, live.orElse(Grants.none()), dvr.orElse(Grants.none()));
        });
    }

    /** Adds the user to the group {@code camera-<id>-<action>} (after {@link #ensureCamera}). */
    public void grantUser(String camera, Action action, String username) {
        CameraPermission p = permission(camera, action);
        requireName(username, "username");
        call("grant " + describe(p) + " to user " + username, () -> {
            UserRepresentation user = realm.user(username);
            realm.join(user.getId(), ensure(camera).get(action).group().getId());
            return null;
        });
    }

    /**
     * Removes the user from the group {@code camera-<id>-<action>} and drops a direct mapping of the role.
     * The user keeps the permission if another group grants it ({@link #who} shows those groups).
     *
     * @throws UnknownCameraException the camera has no role for this action
     */
    public void revokeUser(String camera, Action action, String username) {
        CameraPermission p = permission(camera, action);
        requireName(username, "username");
        call("revoke " + describe(p) + " from user " + username, () -> {
            RoleRepresentation role = existingRole(p);
            UserRepresentation user = realm.user(username);
            realm.groupByPath("/" + p.groupName()).ifPresent(g -> realm.leave(user.getId(), g.getId()));
            CamflowRealm.unmap(realm.userRoles(user.getId()), role);
            return null;
        });
    }

    /**
     * Maps the role {@code camera:<id>:<action>} onto a group (after {@link #ensureCamera}), so its members
     * and the members of its sub-groups hold it.
     *
     * @param group a group name, or a path such as {@code /staff/night-shift} when the name is not unique
     */
    public void grantGroup(String camera, Action action, String group) {
        CameraPermission p = permission(camera, action);
        requireName(group, "group");
        call("grant " + describe(p) + " to group " + group, () -> {
            GroupRepresentation target = realm.group(group);
            CamflowRealm.map(realm.groupRoles(target.getId()), ensure(camera).get(action).role());
            return null;
        });
    }

    /**
     * Removes the role {@code camera:<id>:<action>} from a group. Not from the camera's own group
     * {@code camera-<id>-<action>}: that group is how the permission is granted; revoke its members instead.
     *
     * @throws UnknownCameraException the camera has no role for this action
     */
    public void revokeGroup(String camera, Action action, String group) {
        CameraPermission p = permission(camera, action);
        requireName(group, "group");
        call("revoke " + describe(p) + " from group " + group, () -> {
            RoleRepresentation role = existingRole(p);
            GroupRepresentation target = realm.group(group);
            if (("/" + p.groupName()).equals(target.getPath())) {
                throw new IllegalArgumentException("group " + p.groupName() + " is how " + describe(p)
                        + " is granted; remove its members instead");
            }
            CamflowRealm.unmap(realm.groupRoles(target.getId()), role);
            return null;
        });
    }

    /** Logs out and closes the HTTP client. */
    @Override
    public void close() {
        keycloak.close();
    }

    @Override
    public String toString() {
        return "CameraAccess[" + settings + "]";
    }

    // ---- internals ----------------------------------------------------------------------------------

    /** A camera's role and group for one action, as {@link #ensure} left them. */
    private record CameraGroup(RoleRepresentation role, GroupRepresentation group) {
    }

    private Map<Action, CameraGroup> ensure(String camera) {
        Map<Action, CameraGroup> out = new EnumMap<>(Action.class);
        for (Action action : Action.values()) {
            CameraPermission p = new CameraPermission(camera, action);
            RoleRepresentation role = realm.ensureRole(p.roleName(), p.roleDescription());
            GroupRepresentation group = realm.ensureTopLevelGroup(p.groupName());
            CamflowRealm.map(realm.groupRoles(group.getId()), role);
            out.put(action, new CameraGroup(role, group));
        }
        return out;
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
        return Optional.of(new Grants(List.copyOf(users), groups.stream().map(GroupRepresentation::getName).toList()));
    }

    private RoleRepresentation existingRole(CameraPermission p) {
        return realm.role(p.roleName()).orElseThrow(() -> new UnknownCameraException(p.camera(),
                "client " + CamflowRealm.CLIENT + " has no role " + p.roleName()));
    }

    /** Runs one admin operation, turning keycloak-admin-client's exceptions into {@link AdminException}s. */
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
