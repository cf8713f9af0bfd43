package io.camflow.ingest.source;

/**
 * Gives each packet its capture wall clock. When the camera sends RTCP sender reports, FFmpeg maps
 * each packet's RTP timestamp to the camera's NTP clock (its "producer reference time") and that is
 * the capture time, unless the camera's clock is more than {@link #MAX_SKEW_MICROS} off ours:
 * cameras with an unset clock are common and would break replay by time, so such a camera is timed
 * by arrival instead. Arrival timing anchors the first packet to its arrival and follows the pts
 * from there (no network jitter), re-anchoring when the pts jumps.
 */
final class CaptureClock {

  static final long MAX_SKEW_MICROS = 5_000_000;
  static final long NO_TIME = Long.MIN_VALUE;

  private long offsetMicros = NO_TIME;
  private Boolean cameraClockUsable;

  /**
   * @param ptsMicros the packet's pts in µs
   * @param senderMicros the camera's wall clock for this packet from RTCP sender reports (µs since
   *     the epoch), or {@link #NO_TIME} when the camera has sent none yet
   * @param nowMicros arrival time (µs since the epoch)
   */
  long captureMicros(long ptsMicros, long senderMicros, long nowMicros) {
    if (senderMicros != NO_TIME) {
      if (cameraClockUsable == null) {
        cameraClockUsable = Math.abs(senderMicros - nowMicros) <= MAX_SKEW_MICROS;
      }
      if (cameraClockUsable) {
        return senderMicros;
      }
    }
    if (offsetMicros == NO_TIME) {
      offsetMicros = nowMicros - ptsMicros;
    }
    long t = offsetMicros + ptsMicros;
    if (Math.abs(t - nowMicros) > MAX_SKEW_MICROS) {
      offsetMicros = nowMicros - ptsMicros; // pts discontinuity: follow arrival again
      t = nowMicros;
    }
    return t;
  }

  /** Whether the camera's clock is in use (null until its first sender report). */
  Boolean cameraClockUsable() {
    return cameraClockUsable;
  }
}
