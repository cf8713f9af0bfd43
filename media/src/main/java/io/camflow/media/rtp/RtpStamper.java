package io.camflow.media.rtp;

import java.util.Objects;

/**
 * One viewer's RTP sender state for one track: its SSRC, payload type, sequence numbers and the
 * random timestamp origin RFC 3550 asks for. It turns shared {@link RtpPayload}s into that viewer's
 * packets; the caller encrypts them. Not thread-safe: one per viewer and track, used by one thread.
 */
public final class RtpStamper {

  private final int payloadType;
  private final long ssrc;
  private final long timestampOrigin;
  private int nextSequenceNumber;

  /**
   * @param firstSequenceNumber and {@code timestampOrigin} should be random (RFC 3550 5.1), which
   *     the caller decides so that tests can fix them
   */
  public RtpStamper(int payloadType, long ssrc, int firstSequenceNumber, long timestampOrigin) {
    new RtpHeader(
        payloadType, false, firstSequenceNumber & 0xFFFF, 0, ssrc); // validates the fields
    this.payloadType = payloadType;
    this.ssrc = ssrc;
    this.timestampOrigin = timestampOrigin;
    this.nextSequenceNumber = firstSequenceNumber & 0xFFFF;
  }

  public long ssrc() {
    return ssrc;
  }

  /** The sequence number the next packet gets. */
  public int nextSequenceNumber() {
    return nextSequenceNumber;
  }

  /** The 32-bit RTP timestamp of a frame timestamp (see {@link RtpFrame#timestamp()}). */
  public long rtpTimestamp(long frameTimestamp) {
    return (timestampOrigin + frameTimestamp) & 0xFFFF_FFFFL;
  }

  /** Bytes {@link #stamp} writes for this payload. */
  public static int packetSize(RtpPayload payload) {
    return RtpHeader.SIZE + payload.data().length;
  }

  /**
   * Writes the header and payload of the next packet at {@code offset} (the caller may leave room
   * after it for the SRTP tag) and advances the sequence number. Returns the bytes written.
   */
  public int stamp(RtpPayload payload, long frameTimestamp, byte[] buffer, int offset) {
    Objects.requireNonNull(payload, "payload");
    if (offset < 0 || buffer.length - offset < packetSize(payload)) {
      throw new IllegalArgumentException(
          "no room for a "
              + packetSize(payload)
              + "-byte RTP packet at offset "
              + offset
              + " of "
              + buffer.length);
    }
    int headerSize = stampHeader(payload, frameTimestamp, buffer, offset);
    System.arraycopy(payload.data(), 0, buffer, offset + headerSize, payload.data().length);
    return headerSize + payload.data().length;
  }

  /**
   * Writes only the header of the next packet at {@code offset} ({@link RtpHeader#SIZE} bytes) and
   * advances the sequence number: for a sender that sends the shared payload after it without
   * copying it (RTSP over TCP).
   */
  public int stampHeader(RtpPayload payload, long frameTimestamp, byte[] buffer, int offset) {
    Objects.requireNonNull(payload, "payload");
    RtpHeader header =
        new RtpHeader(
            payloadType,
            payload.marker(),
            nextSequenceNumber,
            rtpTimestamp(frameTimestamp + payload.timestampOffset()),
            ssrc);
    int written = header.writeTo(buffer, offset);
    nextSequenceNumber = (nextSequenceNumber + 1) & 0xFFFF;
    return written;
  }

  /** The next packet as a new array. */
  public byte[] stamp(RtpPayload payload, long frameTimestamp) {
    byte[] packet = new byte[packetSize(payload)];
    stamp(payload, frameTimestamp, packet, 0);
    return packet;
  }
}
