package io.camflow.keycloak.admin;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.keycloak.admin.client.resource.GroupResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.RoleResource;
import org.keycloak.admin.client.resource.RoleScopeResource;
import org.keycloak.representations.idm.ClientMappingsRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * The lookups and idempotent writes {@link CameraAccess} needs, on top of keycloak-admin-client's
 * resources: find-or-create, exact-name lookups, and paging through lists Keycloak cuts off at
 * {@code max}.
 *
 * <p>Writes tolerate a concurrent writer (another thread, or ingest and delivery at once): a 409 on
 * create means "exists now", and a mapping is re-read before an error is believed. Keycloak itself
 * answers 204 to joining a group twice, leaving a group one is not in, and adding or removing a
 * mapping twice.
 */
final class CamflowRealm {

  /** The resource server client whose client roles are camflow's permissions. */
  static final String CLIENT = "camflow";

  /** Keycloak's admin endpoints return at most {@code max} (default 100 for most) per request. */
  private static final int PAGE = 100;

  private final RealmResource realm;
  private final String name;

  /** Internal id of {@link #CLIENT}; stable for the client's lifetime, so looked up once. */
  private volatile String clientUuid;

  CamflowRealm(RealmResource realm, String name) {
    this.realm = realm;
    this.name = name;
  }

  String name() {
    return name;
  }

  // ---- roles of client camflow
  // --------------------------------------------------------------------

  Optional<RoleRepresentation> role(String roleName) {
    if (knownClientUuid()
        .isEmpty()) { // no group carries a camflow role yet: no camera is provisioned
      return Optional.empty();
    }
    try {
      return Optional.of(roleResource(roleName).toRepresentation());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  RoleRepresentation ensureRole(String roleName, String description) {
    Optional<RoleRepresentation> existing = role(roleName);
    if (existing.isPresent()) {
      return existing.get();
    }
    RoleRepresentation role = new RoleRepresentation();
    role.setName(roleName);
    role.setDescription(description);
    role.setComposite(false);
    role.setClientRole(true);
    try {
      realm.clients().get(clientUuid()).roles().create(role);
    } catch (ClientErrorException e) {
      if (!KeycloakFailures.isStatus(e, 409)) {
        throw e;
      }
    }
    return ConcurrentCreate.readBack(() -> role(roleName))
        .orElseThrow(
            () -> new AdminException("role " + roleName + " vanished right after it was created"));
  }

  /** Users with a direct mapping of the role (not through groups). */
  List<String> directUsernames(String roleName) {
    return all((first, max) -> roleResource(roleName).getUserMembers(true, first, max)).stream()
        .map(UserRepresentation::getUsername)
        .toList();
  }

  /** Groups the role is mapped onto directly (their sub-groups inherit it but are not listed). */
  List<GroupRepresentation> groupsHolding(String roleName) {
    return all((first, max) -> roleResource(roleName).getRoleGroupMembers(first, max));
  }

  private RoleResource roleResource(String roleName) {
    return realm.clients().get(clientUuid()).roles().get(roleName);
  }

  /**
   * Looks {@link #CLIENT} up again next time: after a failure its id may be stale (client
   * re-created).
   */
  void forgetClient() {
    clientUuid = null;
  }

  private String clientUuid() {
    return knownClientUuid()
        .orElseThrow(
            () ->
                new AdminException(
                    "no group of realm "
                        + name
                        + " carries a role of client "
                        + CLIENT
                        + ", so its id is unknown (docs/permissions.md)"));
  }

  /**
   * The internal id of {@link #CLIENT}. An account that may list clients looks it up;
   * camflow-services may not (listing clients would need a {@code query-clients} role, and any
   * {@code query-*} role makes Keycloak filter every user and group list through the admin
   * permissions, ten times slower). So it reads the id where a group's role mappings name it:
   * {@code camflow-admins}, else a camera group. Empty when no such group exists yet, i.e. no
   * camera is provisioned.
   */
  private Optional<String> knownClientUuid() {
    String id = clientUuid;
    if (id != null) {
      return Optional.of(id);
    }
    Optional<String> found;
    try {
      found =
          Optional.of(
              realm.clients().findByClientId(CLIENT).stream()
                  .filter(c -> CLIENT.equals(c.getClientId()))
                  .findFirst()
                  .map(ClientRepresentation::getId)
                  .orElseThrow(
                      () ->
                          new AdminException(
                              "realm "
                                  + name
                                  + " has no client "
                                  + CLIENT
                                  + " (it owns the camera roles; see docs/permissions.md)")));
    } catch (ForbiddenException mayNotListClients) {
      found = clientOfGroupMappings();
    }
    found.ifPresent(uuid -> clientUuid = uuid);
    return found;
  }

  private Optional<String> clientOfGroupMappings() {
    List<GroupRepresentation> candidates = new ArrayList<>();
    groupByPath("/camflow-admins").ifPresent(candidates::add);
    candidates.addAll(realm.groups().groups("camera-", 0, 20, true));
    for (GroupRepresentation group : candidates) {
      Map<String, ClientMappingsRepresentation> mappings =
          realm.groups().group(group.getId()).roles().getAll().getClientMappings();
      ClientMappingsRepresentation camflow = mappings == null ? null : mappings.get(CLIENT);
      if (camflow != null && camflow.getId() != null) {
        return Optional.of(camflow.getId());
      }
    }
    return Optional.empty();
  }

  // ---- role mappings
  // ------------------------------------------------------------------------------

  /** Client-level role mappings of {@link #CLIENT} on a group. */
  RoleScopeResource groupRoles(String groupId) {
    return realm.groups().group(groupId).roles().clientLevel(clientUuid());
  }

  /** Direct client-level role mappings of {@link #CLIENT} on a user. */
  RoleScopeResource userRoles(String userId) {
    return realm.users().get(userId).roles().clientLevel(clientUuid());
  }

  static boolean holds(RoleScopeResource mappings, String roleName) {
    return mappings.listAll().stream().anyMatch(r -> roleName.equals(r.getName()));
  }

  /** Maps the role unless it is mapped already. */
  static void map(RoleScopeResource mappings, RoleRepresentation role) {
    if (holds(mappings, role.getName())) {
      return;
    }
    try {
      mappings.add(List.of(role));
    } catch (WebApplicationException e) {
      if (!holds(mappings, role.getName())) { // else a concurrent writer got there first
        throw e;
      }
    }
  }

  /** Removes the mapping if there is one. */
  static void unmap(RoleScopeResource mappings, RoleRepresentation role) {
    if (holds(mappings, role.getName())) {
      mappings.remove(List.of(role));
    }
  }

  // ---- groups
  // -------------------------------------------------------------------------------------

  /** A top-level group, created if missing. */
  GroupRepresentation ensureTopLevelGroup(String groupName) {
    Optional<GroupRepresentation> existing = groupByPath("/" + groupName);
    if (existing.isPresent()) {
      return existing.get();
    }
    GroupRepresentation group = new GroupRepresentation();
    group.setName(groupName);
    try (Response created = realm.groups().add(group)) {
      int status = created.getStatus();
      if (status != 201 && status != 409) { // 409: "Top level group named ... already exists"
        throw new WebApplicationException(status);
      }
    }
    return ConcurrentCreate.readBack(() -> groupByPath("/" + groupName))
        .orElseThrow(
            () ->
                new AdminException("group " + groupName + " vanished right after it was created"));
  }

  /**
   * A group by path ({@code /parent/child}) or by exact name anywhere in the tree.
   *
   * @throws UnknownGroupException no such group
   * @throws IllegalArgumentException the name is not unique (names are unique among siblings only)
   */
  GroupRepresentation group(String nameOrPath) {
    if (nameOrPath.startsWith("/")) {
      return groupByPath(nameOrPath).orElseThrow(() -> new UnknownGroupException(nameOrPath, name));
    }
    // an exact search answers the top-level groups on the way to each match, matches nested inside
    List<GroupRepresentation> matches = new ArrayList<>();
    for (GroupRepresentation top :
        all((first, max) -> realm.groups().groups(nameOrPath, true, first, max, true))) {
      collectNamed(top, nameOrPath, matches);
    }
    if (matches.isEmpty()) {
      throw new UnknownGroupException(nameOrPath, name);
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException(
          "several groups are named '"
              + nameOrPath
              + "' ("
              + String.join(
                  ", ", matches.stream().map(GroupRepresentation::getPath).sorted().toList())
              + "): give the group's path instead");
    }
    return matches.getFirst();
  }

  Optional<GroupRepresentation> groupByPath(String path) {
    try {
      return Optional.of(realm.getGroupByPath(path));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** User names of the group's members and of its sub-groups' members (who inherit its roles). */
  void collectMembers(String groupId, Set<String> usernames) {
    GroupResource group = realm.groups().group(groupId);
    all((first, max) -> group.members(first, max, true))
        .forEach(u -> usernames.add(u.getUsername()));
    for (GroupRepresentation child : all((first, max) -> group.getSubGroups(first, max, true))) {
      collectMembers(child.getId(), usernames);
    }
  }

  /**
   * Adds the user to the group. Joining twice is a 204, but two joins at the same moment can race
   * in Keycloak's database and the loser gets a 409: the membership exists then, which is what was
   * asked.
   */
  void join(String userId, String groupId) {
    try {
      realm.users().get(userId).joinGroup(groupId);
    } catch (ClientErrorException e) {
      if (!KeycloakFailures.isStatus(e, 409)) {
        throw e;
      }
    }
  }

  void leave(String userId, String groupId) {
    realm.users().get(userId).leaveGroup(groupId);
  }

  private static void collectNamed(
      GroupRepresentation group, String groupName, List<GroupRepresentation> into) {
    if (groupName.equals(group.getName())) {
      into.add(group);
    }
    if (group.getSubGroups() != null) {
      group.getSubGroups().forEach(child -> collectNamed(child, groupName, into));
    }
  }

  // ---- users
  // --------------------------------------------------------------------------------------

  /**
   * The user with exactly this user name ({@code exact=true}: not a prefix or infix search;
   * Keycloak stores user names in lower case and compares case-insensitively).
   */
  UserRepresentation user(String username) {
    return realm.users().search(username, true).stream()
        .filter(u -> username.equalsIgnoreCase(u.getUsername()))
        .findFirst()
        .orElseThrow(() -> new UnknownUserException(username, name));
  }

  // ---- paging
  // -------------------------------------------------------------------------------------

  private static <T> List<T> all(BiFunction<Integer, Integer, ? extends Collection<T>> page) {
    List<T> out = new ArrayList<>();
    for (int first = 0; ; first += PAGE) {
      Collection<T> batch = page.apply(first, PAGE);
      out.addAll(batch);
      if (batch.size() < PAGE) {
        return out;
      }
    }
  }
}
