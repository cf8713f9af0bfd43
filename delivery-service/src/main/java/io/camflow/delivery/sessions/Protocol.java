package io.camflow.delivery.sessions;

/**
 * How a viewer receives a stream. Every protocol shares the viewer limits of {@link ViewerSessions}
 * and shows up in {@code /api/v1/sessions} and {@code camflow_delivery_viewers{protocol}}; a new
 * protocol is one more constant here.
 */
public enum Protocol {
  HLS("hls"),
  MSE("mse"),
  WEBRTC("webrtc"),
  MJPEG("mjpeg"),
  FRAMES("frames"),
  RTSP("rtsp");

  private final String id;

  Protocol(String id) {
    this.id = id;
  }

  /** The name in the API, the metrics and the docs. */
  public String id() {
    return id;
  }
}
