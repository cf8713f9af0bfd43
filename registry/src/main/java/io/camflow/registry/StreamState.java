package io.camflow.registry;

/**
 * Where a stream stands: its {@link StreamStatus#state()} in {@code camflow.status}, lower-case
 * with dashes ({@link #id()}). The states of a pull; a published stream uses those that fit it.
 */
public enum StreamState {
  /** On-demand stream with nobody watching: not connected. */
  IDLE,
  /** Waiting for a free camera connection (limits.maxCameraConnections reached). */
  WAITING_FOR_SLOT,
  /** Opening the RTSP session. */
  CONNECTING,
  /** Access units are flowing. */
  STREAMING,
  /** The last attempt failed; the next one is scheduled with backoff. */
  OFFLINE,
  /** The camera refused the credentials; retried slowly. */
  AUTH_FAILED,
  /** The route was stopped. */
  STOPPED;

  public String id() {
    return name().toLowerCase().replace('_', '-');
  }
}
