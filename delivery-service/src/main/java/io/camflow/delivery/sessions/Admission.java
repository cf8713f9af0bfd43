package io.camflow.delivery.sessions;

/** The answer to a viewer asking for a place: a session, or why not. */
public sealed interface Admission {

  /** The viewer has a place until its session {@link ViewerSession#end() ends}. */
  record Admitted(ViewerSession session) implements Admission {}

  /**
   * No place: over a limit, or the instance is shutting down.
   *
   * @param reason short and safe to show a viewer ("viewer limit reached", ...)
   */
  record Refused(String reason) implements Admission {}
}
