package io.camflow.keycloak.admin;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.TreeSet;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.ScopePermissionResource;
import org.keycloak.admin.client.resource.ScopePermissionsResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.authorization.DecisionStrategy;
import org.keycloak.representations.idm.authorization.ResourceRepresentation;
import org.keycloak.representations.idm.authorization.ScopePermissionRepresentation;

/**
 * The admin permissions (Keycloak's fine-grained admin permissions, V2) that let {@code
 * camflow-services} change one camera's grants: {@code manage-membership} of the camera's groups
 * and {@code map-role} of its roles, for the policy named like the client. Written while
 * provisioning a camera, by an account that may manage the realm's admin permissions — never by
 * {@code camflow-services} itself.
 *
 * <p>Keycloak's permissions name groups and roles by id, with no wildcard and no inheritance by
 * sub-groups: a new camera's groups and roles need permissions of their own. One permission per
 * camera and resource type, so two provisioners never overwrite each other's lists (a concurrent
 * create is a 409: exists now).
 */
final class CameraAdminPermissions {

  static final String GROUPS = "Groups";
  static final String ROLES = "Roles";

  private final RealmResource realm;
  private final String realmName;

  /**
   * The policy that matches camflow's own account: named like its client ({@code
   * camflow-services}).
   */
  private final String policy;

  CameraAdminPermissions(RealmResource realm, String realmName, String policy) {
    this.realm = realm;
    this.realmName = realmName;
    this.policy = policy;
  }

  /** {@code camflow camera <id>: groups} or {@code ...: roles}, as the admin console lists them. */
  static String permissionName(String camera, String resourceType) {
    return "camflow camera " + camera + ": " + resourceType.toLowerCase(java.util.Locale.ROOT);
  }

  /** Lets {@link #policy} add users to and remove them from exactly these groups. */
  void allowMembership(String camera, Set<String> groupIds) {
    ensure(
        permissionName(camera, GROUPS),
        "Add users to and remove them from the groups of camera " + camera,
        GROUPS,
        groupIds,
        "manage-membership");
  }

  /** Lets {@link #policy} map exactly these roles onto users and onto the groups it may manage. */
  void allowMapping(String camera, Set<String> roleIds) {
    ensure(
        permissionName(camera, ROLES),
        "Map and unmap the roles of camera " + camera,
        ROLES,
        roleIds,
        "map-role");
  }

  private void ensure(
      String name, String description, String resourceType, Set<String> ids, String scope) {
    if (ids
        .isEmpty()) { // a permission without resources would cover every group or role of the realm
      throw new IllegalArgumentException("no " + resourceType + " for permission " + name);
    }
    ScopePermissionsResource permissions = permissions();
    ScopePermissionRepresentation existing = find(permissions, name);
    if (existing == null) {
      ScopePermissionRepresentation p = representation(name, description, resourceType, ids, scope);
      try (Response created = permissions.create(p)) {
        int status = created.getStatus();
        if (status == 201) {
          return;
        }
        if (status != 409) {
          throw new ClientErrorException(status);
        }
      }
      existing =
          ConcurrentCreate.readBack(() -> java.util.Optional.ofNullable(find(permissions, name)))
              .orElseThrow(
                  () ->
                      new AdminException(
                          "permission "
                              + name
                              + " vanished right after it was created")); // a concurrent
      // provisioner created it
    }
    ScopePermissionResource current = permissions.findById(existing.getId());
    Set<String> have = new TreeSet<>();
    current.resources().stream().map(ResourceRepresentation::getName).forEach(have::add);
    if (!have.equals(new TreeSet<>(ids))) { // e.g. a group deleted and created again
      ScopePermissionRepresentation p = representation(name, description, resourceType, ids, scope);
      p.setId(existing.getId());
      current.update(p);
    }
  }

  private ScopePermissionRepresentation representation(
      String name, String description, String resourceType, Set<String> ids, String scope) {
    ScopePermissionRepresentation p = new ScopePermissionRepresentation();
    p.setName(name);
    p.setDescription(description);
    p.setResourceType(resourceType);
    p.setResources(Set.copyOf(ids));
    p.setScopes(Set.of(scope));
    p.setPolicies(Set.of(policy));
    p.setDecisionStrategy(DecisionStrategy.UNANIMOUS);
    return p;
  }

  private ScopePermissionRepresentation find(ScopePermissionsResource permissions, String name) {
    try {
      ScopePermissionRepresentation found = permissions.findByName(name);
      return found != null && name.equals(found.getName()) ? found : null;
    } catch (NotFoundException e) {
      return null;
    }
  }

  private ScopePermissionsResource permissions() {
    ClientRepresentation client = realm.toRepresentation().getAdminPermissionsClient();
    if (client == null) {
      throw new AdminException(
          "realm "
              + realmName
              + " has no admin permissions (adminPermissionsEnabled):"
              + " camflow's account could not be allowed to grant a camera (docs/permissions.md)");
    }
    return realm.clients().get(client.getId()).authorization().permissions().scope();
  }
}
