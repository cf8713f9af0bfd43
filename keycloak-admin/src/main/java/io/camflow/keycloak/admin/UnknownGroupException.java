package io.camflow.keycloak.admin;

/** No group with this name (or path) in the realm (HTTP 404 for camflow's API). */
public class UnknownGroupException extends AdminException {

  private final String group;

  public UnknownGroupException(String group, String realm) {
    super("no group '" + group + "' in realm " + realm);
    this.group = group;
  }

  public String group() {
    return group;
  }
}
