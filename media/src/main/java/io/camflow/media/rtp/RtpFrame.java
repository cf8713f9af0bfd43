package io.camflow.media.rtp;

import java.util.List;

/**
 * One access unit as RTP payloads, shared by every viewer of a stream.
 *
 * @param timestamp the presentation time in the payload's clock rate (90 kHz for video), not yet
 *     offset or truncated to 32 bits: that is each viewer's {@link RtpStamper}'s job
 * @param keyframe whether a viewer may start here
 * @param payloads in sending order; the last carries the marker for video
 */
public record RtpFrame(long timestamp, boolean keyframe, List<RtpPayload> payloads) {

  public RtpFrame {
    payloads = List.copyOf(payloads);
  }

  /** Payload bytes, without RTP headers. */
  public int payloadBytes() {
    return payloads.stream().mapToInt(p -> p.data().length).sum();
  }
}
