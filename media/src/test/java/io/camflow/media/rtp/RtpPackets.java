package io.camflow.media.rtp;

import java.util.ArrayList;
import java.util.List;

/** Received packets for the depacketizer tests, made the way a sender makes them. */
final class RtpPackets {

  private RtpPackets() {}

  /** One packet as it comes off the wire. */
  static RtpPacket packet(int sequenceNumber, long timestamp, boolean marker, byte[] payload) {
    byte[] datagram = new byte[RtpHeader.SIZE + payload.length];
    new RtpHeader(96, marker, sequenceNumber & 0xFFFF, timestamp & 0xFFFF_FFFFL, 0x1234)
        .writeTo(datagram, 0);
    System.arraycopy(payload, 0, datagram, RtpHeader.SIZE, payload.length);
    return RtpPacket.parse(datagram);
  }

  /** A frame's payloads through the sender's stamper, at {@code timestamp}. */
  static List<RtpPacket> stamp(RtpStamper stamper, List<RtpPayload> payloads, long timestamp) {
    List<RtpPacket> packets = new ArrayList<>(payloads.size());
    for (RtpPayload payload : payloads) {
      packets.add(RtpPacket.parse(stamper.stamp(payload, timestamp)));
    }
    return packets;
  }

  /** Every frame the packets give, the open one flushed at the end. */
  static List<ReceivedFrame> depacketize(Depacketizer depacketizer, List<RtpPacket> packets) {
    List<ReceivedFrame> frames = new ArrayList<>();
    for (RtpPacket packet : packets) {
      frames.addAll(depacketizer.push(packet));
    }
    frames.addAll(depacketizer.flush());
    return frames;
  }
}
