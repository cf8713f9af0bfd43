package io.camflow.localprocess;

/**
 * A server ended before it was ready. Most often a port was taken between choosing it and binding
 * it, so another try on other ports is worth it (what {@link SharedServer} does); a timeout is not.
 */
public final class ServerExitedException extends IllegalStateException {

  public ServerExitedException(String message) {
    super(message);
  }
}
