package io.camflow.ingest.status;

/** Where a stream's pull stands. Published, lower-case with dashes, in {@code camflow.status}. */
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
