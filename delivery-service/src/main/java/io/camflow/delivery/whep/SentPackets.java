package io.camflow.delivery.whep;

import io.camflow.media.rtp.RtpPayload;

/**
 * The packets a viewer was sent lately, by sequence number, so a NACK can be answered with the same
 * packet again (same sequence number and timestamp; SRTP protects it anew). Only references to the
 * stream's shared payloads are kept, never copies: a viewer costs a few arrays.
 *
 * <p>Not thread-safe: used by the viewer's sending thread.
 */
final class SentPackets {

  /** One packet as sent. */
  record Sent(RtpPayload payload, int sequenceNumber, long timestamp) {}

  private final int mask;
  private final RtpPayload[] payloads;
  private final long[] timestamps;
  private final int[] sequenceNumbers;

  /**
   * @param capacity a power of two; packets older than that many are forgotten
   */
  SentPackets(int capacity) {
    if (Integer.bitCount(capacity) != 1 || capacity > 65536) {
      throw new IllegalArgumentException(
          "capacity must be a power of two up to 65536, was " + capacity);
    }
    mask = capacity - 1;
    payloads = new RtpPayload[capacity];
    timestamps = new long[capacity];
    sequenceNumbers = new int[capacity];
  }

  void sent(RtpPayload payload, int sequenceNumber, long timestamp) {
    int i = sequenceNumber & mask;
    payloads[i] = payload;
    timestamps[i] = timestamp;
    sequenceNumbers[i] = sequenceNumber;
  }

  /** The packet with this sequence number if it is still kept, else null. */
  Sent find(int sequenceNumber) {
    int i = sequenceNumber & mask;
    RtpPayload p = payloads[i];
    if (p == null || sequenceNumbers[i] != sequenceNumber) {
      return null;
    }
    return new Sent(p, sequenceNumber, timestamps[i]);
  }
}
