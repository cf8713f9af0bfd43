package io.camflow.delivery.whep;

/**
 * How much of its NACKs a WebRTC viewer gets answered (docs/webrtc.md, "RTCP"): retransmissions up
 * to {@code percent} % of the bytes per second it is sent the first time, at least {@code
 * floorKbps} kbit/s ({@link RetransmissionBudget}).
 *
 * @param percent {@code CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT}, 0 to 1000 (100)
 * @param floorKbps {@code CAMFLOW_WEBRTC_NACK_FLOOR_KBPS}, 0 to 1000000 (256)
 */
public record NackBudget(int percent, int floorKbps) {

  public NackBudget {
    if (percent < 0 || percent > 1000) {
      throw new IllegalArgumentException(
          "CAMFLOW_WEBRTC_NACK_BUDGET_PERCENT must be 0 to 1000, was " + percent);
    }
    if (floorKbps < 0 || floorKbps > 1_000_000) {
      throw new IllegalArgumentException(
          "CAMFLOW_WEBRTC_NACK_FLOOR_KBPS must be 0 to 1000000, was " + floorKbps);
    }
  }

  /** As much again as the viewer is sent, at least 256 kbit/s. */
  public static NackBudget defaults() {
    return new NackBudget(100, 256);
  }

  /** One viewer's bucket, starting now. */
  RetransmissionBudget start(long nowNanos) {
    return new RetransmissionBudget(percent, floorKbps * 1000L / 8, nowNanos);
  }
}
