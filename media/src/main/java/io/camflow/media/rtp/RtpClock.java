package io.camflow.media.rtp;

/** Converts access-unit times into an RTP clock rate. */
public final class RtpClock {

  public static final int VIDEO_CLOCK_RATE = 90_000;

  private RtpClock() {}

  /**
   * {@code time} in {@code timebase} ticks per second as {@code clockRate} ticks, rounded down.
   * Split into whole seconds and remainder so that a large {@code time} cannot overflow.
   */
  public static long toClockRate(long time, int timebase, int clockRate) {
    if (timebase <= 0 || clockRate <= 0) {
      throw new IllegalArgumentException(
          "timebase and clock rate must be > 0, were " + timebase + ", " + clockRate);
    }
    if (timebase == clockRate) {
      return time;
    }
    long seconds = Math.floorDiv(time, timebase);
    long remainder = Math.floorMod(time, timebase);
    return seconds * clockRate + remainder * clockRate / timebase;
  }
}
