package io.camflow.media;

/**
 * Gives each packet its capture wall clock: the packet's pts plus an offset. The offset comes from
 * the camera's clock when it sends RTCP sender reports (each packet's RTP timestamp mapped to the
 * sender's NTP clock: FFmpeg's "producer reference time" when ingest pulls a camera, the sender
 * reports of a stream published into camflow), and from the arrival of the first packet until then.
 * A camera whose clock is more than {@link #MAX_SKEW_MICROS} off ours is timed by arrival for good:
 * cameras with an unset clock are common and would break replay by time.
 *
 * <p>Within a session the capture clock never jumps. The first sender report often comes seconds
 * after the first packet, and the camera's clock is rarely within a few milliseconds of the arrival
 * estimate; stepping to it would leave a gap (or an overlap) in the recording. Instead the offset
 * is slewed toward the camera's clock by at most {@link #SLEW} of the media time that passes, the
 * way NTP slews a system clock: a 500 ms difference is gone after 25 s of media, and a 4 s segment
 * is at most 80 ms longer or shorter in wall-clock time than its media. Only a pts jump (more than
 * {@link #MAX_SKEW_MICROS}) re-anchors at once.
 *
 * <p>One per session and clock source; not thread-safe.
 */
public final class CaptureClock {

  public static final long MAX_SKEW_MICROS = 5_000_000;
  public static final long NO_TIME = Long.MIN_VALUE;

  /** The most the offset moves toward the camera's clock, per µs of media time: 2 %. */
  public static final double SLEW = 0.02;

  private long offsetMicros = NO_TIME;
  private long latestPtsMicros;
  private Boolean cameraClockUsable;
  private boolean startedOnCameraClock;
  private long firstCorrectionMicros = NO_TIME;

  public CaptureClock() {}

  /**
   * @param ptsMicros the packet's pts in µs
   * @param senderMicros the camera's wall clock for this packet from RTCP sender reports (µs since
   *     the epoch), or {@link #NO_TIME} when the camera has sent none yet
   * @param nowMicros arrival time (µs since the epoch)
   */
  public long captureMicros(long ptsMicros, long senderMicros, long nowMicros) {
    if (senderMicros != NO_TIME && cameraClockUsable == null) {
      cameraClockUsable = Math.abs(senderMicros - nowMicros) <= MAX_SKEW_MICROS;
    }
    boolean camera = senderMicros != NO_TIME && cameraClockUsable;
    if (offsetMicros == NO_TIME) {
      startedOnCameraClock = camera;
      return anchor(ptsMicros, camera ? senderMicros : nowMicros);
    }
    long elapsed = Math.max(0, ptsMicros - latestPtsMicros);
    latestPtsMicros = Math.max(latestPtsMicros, ptsMicros);
    if (camera) {
      long correction = senderMicros - ptsMicros - offsetMicros;
      if (Math.abs(correction) > MAX_SKEW_MICROS) {
        return anchor(ptsMicros, senderMicros); // the pts jumped
      }
      if (firstCorrectionMicros == NO_TIME && !startedOnCameraClock) {
        firstCorrectionMicros = correction;
      }
      long step = (long) (elapsed * SLEW);
      offsetMicros += Math.clamp(correction, -step, step);
    }
    long t = offsetMicros + ptsMicros;
    if (!camera && Math.abs(t - nowMicros) > MAX_SKEW_MICROS) {
      return anchor(ptsMicros, nowMicros); // the pts jumped: follow arrival again
    }
    return t;
  }

  private long anchor(long ptsMicros, long wallMicros) {
    offsetMicros = wallMicros - ptsMicros;
    latestPtsMicros = ptsMicros;
    return wallMicros;
  }

  /** Whether the camera's clock is in use (null until its first sender report). */
  Boolean cameraClockUsable() {
    return cameraClockUsable;
  }

  /**
   * How far the camera's clock was from the capture clock when its first sender report came after
   * the session had begun (µs, positive when the camera's is later), or {@link #NO_TIME}.
   */
  public long firstCorrectionMicros() {
    return firstCorrectionMicros;
  }
}
