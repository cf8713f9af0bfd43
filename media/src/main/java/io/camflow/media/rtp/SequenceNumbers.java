package io.camflow.media.rtp;

/**
 * A receiver's view of one stream's 16-bit RTP sequence numbers (RFC 3550 A.1, simplified): which
 * packets follow on, which come after a loss, and which are duplicates or too late to use. Checking
 * and accepting are separate steps so that a packet refused as malformed counts as lost.
 */
final class SequenceNumbers {

  /**
   * How far behind the last packet one may be and still be a late or repeated one (RFC 3550's
   * MAX_MISORDER); further behind, the sender restarted its numbering.
   */
  static final int MAX_MISORDER = 100;

  private int last = -1;

  /**
   * How many packets are missing before {@code sequenceNumber}: 0 when it follows on (or is the
   * first), -1 when it is a duplicate or arrives after a later one (drop it). A restart of the
   * numbering counts as one missing packet.
   */
  int missingBefore(int sequenceNumber) {
    if (last < 0) {
      return 0;
    }
    int ahead = (sequenceNumber - last) & 0xFFFF;
    if (ahead == 0) {
      return -1;
    }
    if (ahead < 0x8000) {
      return ahead - 1;
    }
    return 0x10000 - ahead <= MAX_MISORDER ? -1 : 1;
  }

  /** Takes {@code sequenceNumber} as the last packet used. */
  void accept(int sequenceNumber) {
    last = sequenceNumber;
  }
}
