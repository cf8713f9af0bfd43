package io.camflow.keycloak.admin;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Who holds one camera permission.
 *
 * @param users user names holding the role directly or as members of a group that holds it (also
 *     through a sub-group); sorted, no duplicates
 * @param groups names of the groups the role is mapped onto directly; sorted, no duplicates
 */
public record Grants(List<String> users, List<String> groups) {

  private static final Grants NONE = new Grants(List.of(), List.of());

  public Grants {
    users = sortedCopy(users, "users");
    groups = sortedCopy(groups, "groups");
  }

  /** Nobody. */
  public static Grants none() {
    return NONE;
  }

  public boolean isEmpty() {
    return users.isEmpty() && groups.isEmpty();
  }

  private static List<String> sortedCopy(Collection<String> names, String what) {
    Objects.requireNonNull(names, what);
    return names.stream()
        .map(n -> Objects.requireNonNull(n, what + " contains null"))
        .distinct()
        .sorted()
        .toList();
  }
}
