package io.camflow.media.rtp;

import java.util.List;

/**
 * The received RTP packets of one track back into frames: the inverse of the packetizers, for
 * streams published into camflow. One per track and publisher; not thread-safe.
 *
 * <p>Packets are given in arrival order. A frame ends at its marker bit (video) or when a packet
 * with another timestamp arrives. A frame that lost a packet (a sequence-number gap inside it, a
 * fragment without its start) is returned {@link ReceivedFrame#damaged() damaged}: the caller
 * decides whether to drop it (video until the next keyframe). Duplicate and late packets (sequence
 * number behind the last one taken) are dropped, not reordered. Payloads that break their RFC are
 * refused with {@link MalformedRtpException}; the depacketizer then stays usable, and counts the
 * refused packet as lost.
 */
public interface Depacketizer {

  /**
   * Takes one packet of this track.
   *
   * @return the frames it completed, in order; usually none or one
   * @throws MalformedRtpException when the payload breaks its format (the packet is dropped)
   */
  List<ReceivedFrame> push(RtpPacket packet);

  /** The frame still open, when the stream ends. */
  List<ReceivedFrame> flush();
}
