package io.camflow.keycloak.admin;

/**
 * A permission change or query that did not happen. The subclass says why; the message is safe to
 * show to an administrator: it names users, groups and cameras, never a secret, a token or a
 * Keycloak response body. A plain {@code AdminException} is an unexpected answer of Keycloak (the
 * HTTP status is in the message).
 */
public class AdminException extends RuntimeException {

  public AdminException(String message) {
    super(message);
  }

  public AdminException(String message, Throwable cause) {
    super(message, cause);
  }
}
