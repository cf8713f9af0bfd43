package io.camflow.media.sdp;

import java.util.List;

/**
 * The codec picked from one offered media section, as the answer writes it.
 *
 * @param fmtp the fmtp parameters for the answer, empty for none
 * @param feedback the offered RTCP feedback camflow answers: {@code nack}, {@code nack pli}, {@code
 *     ccm fir}
 */
public record ChosenCodec(
    int payloadType, RtpMap rtpMap, String fmtp, List<RtcpFeedback> feedback) {

  public ChosenCodec {
    feedback = List.copyOf(feedback);
  }
}
