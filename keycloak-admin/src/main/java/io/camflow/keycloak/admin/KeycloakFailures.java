package io.camflow.keycloak.admin;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

/**
 * Turns keycloak-admin-client's JAX-RS exceptions into {@link AdminException}s a caller can branch
 * on.
 *
 * <p>The messages carry the HTTP status and what was being attempted, never the Keycloak response
 * body (Keycloak's error texts are for its own console and may change) nor anything of the request
 * (the token request holds the client secret). The original exception stays attached as the cause
 * for the log.
 */
final class KeycloakFailures {

  private KeycloakFailures() {}

  /**
   * @param attempt what was being done, for the message: "grant live of camera garage to user
   *     alice"
   */
  static AdminException translate(RuntimeException e, String attempt, AdminSettings settings) {
    WebApplicationException answer = find(e, WebApplicationException.class);
    if (answer == null) {
      // no HTTP answer at all: connection refused, timeout, DNS, TLS
      return new AdminUnavailableException(
          "Keycloak at " + settings.serverUrl() + " is unreachable; could not " + attempt, e);
    }
    int status = answer.getResponse() == null ? 0 : answer.getResponse().getStatus();
    // the admin client fetches its token inside a request filter, so a refused login arrives
    // wrapped
    // in a ProcessingException; Keycloak answers a wrong client secret with 401 unauthorized_client
    boolean login = e instanceof ProcessingException;
    if (status == 401 || (login && status == 400)) {
      return new AdminUnavailableException(
          "Keycloak refused the credentials of client "
              + settings.clientId()
              + " in realm "
              + settings.realm()
              + " (HTTP "
              + status
              + "); could not "
              + attempt,
          e);
    }
    if (status == 403) {
      // by design for camflow-services outside the camera groups and roles (docs/permissions.md)
      return new NotPermittedException(
          "client "
              + settings.clientId()
              + " may not "
              + attempt
              + " (HTTP 403): outside the admin permissions of its service account",
          e);
    }
    if (status >= 500) {
      return new AdminUnavailableException(
          "Keycloak failed (HTTP " + status + "); could not " + attempt, e);
    }
    return new AdminException("Keycloak answered HTTP " + status + "; could not " + attempt, e);
  }

  /** Whether {@code e} is Keycloak's answer with this status (not a transport failure). */
  static boolean isStatus(RuntimeException e, int status) {
    return e instanceof WebApplicationException w
        && w.getResponse() != null
        && w.getResponse().getStatus() == status;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
