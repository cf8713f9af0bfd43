package io.camflow.keycloak.admin;

/**
 * Keycloak cannot be used for now (HTTP 503 for camflow's API): unreachable, failing (5xx), or
 * refusing the credentials or the permissions of camflow's client. Retrying may help once an
 * operator fixed the cause.
 */
public class AdminUnavailableException extends AdminException {

  public AdminUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
