package io.camflow.media.rtcp;

import java.util.List;

/**
 * The RTCP packets a WebRTC receiver sends back to a sending server, as read by {@link RtcpReader}:
 * reports (RFC 3550), generic NACK (RFC 4585 6.2.1), PLI (RFC 4585 6.3.1) and FIR (RFC 5104 4.3.1).
 * Everything else in a compound packet (SDES, transport-wide feedback, REMB, XR…) is {@link Other}:
 * read past, not understood.
 */
public sealed interface RtcpPacket {

  int SR = 200;
  int RR = 201;
  int SDES = 202;
  int BYE = 203;
  int RTPFB = 205;
  int PSFB = 206;

  /** A sender report; its reception blocks count as a receiver's. */
  record SenderReport(
      int ssrc,
      long ntpTimestamp,
      long rtpTimestamp,
      long packetCount,
      long octetCount,
      List<ReportBlock> blocks)
      implements RtcpPacket {}

  record ReceiverReport(int ssrc, List<ReportBlock> blocks) implements RtcpPacket {}

  /**
   * Generic NACK: the sequence numbers the receiver misses of {@code mediaSsrc}, in the order
   * listed.
   */
  record Nack(int senderSsrc, int mediaSsrc, List<Integer> lost) implements RtcpPacket {}

  /** Picture loss indication: the receiver needs a keyframe of {@code mediaSsrc}. */
  record Pli(int senderSsrc, int mediaSsrc) implements RtcpPacket {}

  /**
   * Full intra request: a keyframe for each listed SSRC; {@code sequence} tells repeats from new
   * requests.
   */
  record Fir(int senderSsrc, List<FirEntry> entries) implements RtcpPacket {}

  record FirEntry(int ssrc, int sequence) {}

  record Bye(List<Integer> ssrcs) implements RtcpPacket {}

  /** A packet type or feedback format not handled here. */
  record Other(int packetType, int format) implements RtcpPacket {}
}
