package io.camflow.keycloak.admin;

/** No user with exactly this user name in the realm (HTTP 404 for camflow's API). */
public class UnknownUserException extends AdminException {

  private final String username;

  public UnknownUserException(String username, String realm) {
    super("no user '" + username + "' in realm " + realm);
    this.username = username;
  }

  public String username() {
    return username;
  }
}
