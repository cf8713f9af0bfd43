package io.camflow.ingest.config;

/**
 * Resource limits of one ingest instance.
 *
 * @param maxCameraConnections RTSP sessions this instance holds at once; a stream being pulled is
 *     one session. Streams beyond it wait (on-demand) or stay disconnected with an error status.
 */
public record Limits(int maxCameraConnections) {

  public static final int MIN_CAMERA_CONNECTIONS = 1;
  public static final int MAX_CAMERA_CONNECTIONS = 10_000;
  public static final Limits DEFAULTS = new Limits(64);

  public Limits {
    if (maxCameraConnections < MIN_CAMERA_CONNECTIONS
        || maxCameraConnections > MAX_CAMERA_CONNECTIONS) {
      throw new IllegalArgumentException(
          "limits.maxCameraConnections must be between "
              + MIN_CAMERA_CONNECTIONS
              + " and "
              + MAX_CAMERA_CONNECTIONS
              + ", not "
              + maxCameraConnections);
    }
  }
}
