package io.camflow.media.rtcp;

/**
 * One reception report block (RFC 3550 6.4.1): what a receiver says about one of our sources.
 *
 * @param ssrc the source reported on
 * @param fractionLost lost since the previous report, in 1/256
 * @param cumulativeLost packets lost since the start (signed 24 bits)
 * @param highestSequence extended highest sequence number received
 * @param jitter interarrival jitter in RTP timestamp units
 * @param lastSenderReport middle 32 bits of the NTP time of the last SR received (LSR), 0 if none
 * @param delaySinceLastSr delay since that SR, in 1/65536 s (DLSR)
 */
public record ReportBlock(
    int ssrc,
    int fractionLost,
    int cumulativeLost,
    long highestSequence,
    long jitter,
    long lastSenderReport,
    long delaySinceLastSr) {

  /**
   * The round trip time this block implies, in seconds, given when it arrived (compact NTP), or -1
   * if unknown.
   */
  public double roundTripSeconds(long arrivalCompactNtp) {
    if (lastSenderReport == 0) {
      return -1;
    }
    long rtt = (arrivalCompactNtp - lastSenderReport - delaySinceLastSr) & 0xFFFFFFFFL;
    return rtt > 0x7FFFFFFFL ? -1 : rtt / 65536.0;
  }
}
