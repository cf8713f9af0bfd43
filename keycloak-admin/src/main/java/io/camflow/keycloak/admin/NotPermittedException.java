package io.camflow.keycloak.admin;

/**
 * Keycloak answered 403: the account camflow logs in with may not do this. For {@code
 * camflow-services} that is by design outside its admin permissions (docs/permissions.md,
 * "camflow's own account"): a group an administrator has not allowed camflow to grant to, or a
 * camera group whose permission is missing. Not transient, so callers do not retry; the message
 * says what to ask a Keycloak administrator for.
 */
public class NotPermittedException extends AdminException {

  public NotPermittedException(String message, Throwable cause) {
    super(message, cause);
  }
}
