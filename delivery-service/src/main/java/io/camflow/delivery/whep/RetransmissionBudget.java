package io.camflow.delivery.whep;

import java.util.concurrent.TimeUnit;

/**
 * How many bytes one viewer may be sent again to answer its NACKs: a token bucket refilled at
 * {@code percent} % of the bytes the viewer was sent the first time in the last second (the
 * stream's bitrate as this viewer gets it, GOP bursts included), at least {@code floor} bytes a
 * second, and holding at most one second of that. An honest receiver asks for its losses — a few
 * percent — while a NACK flood (a few RTCP bytes asking for thousands of stored packets, again and
 * again) would otherwise turn the server into an amplifier: with the default of 100 % a viewer
 * costs at most about twice its stream. A retransmission that does not fit is refused and counted;
 * the receiver conceals the loss or asks for a keyframe.
 *
 * <p>Not thread-safe: used by the viewer's sending thread; the counters may be read from others.
 */
final class RetransmissionBudget {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final double share;
  private final long floorBytesPerSecond;
  private long windowStartNanos;
  private long windowBytes;
  private long lastWindowBytes;
  private double tokens;
  private long lastRefillNanos;
  private volatile long refusedPackets;
  private volatile long refusedBytes;

  /**
   * @param percent of the first-transmission bytes per second that may go again (0 to 1000)
   * @param floorBytesPerSecond the budget of a viewer sent little or nothing yet
   */
  RetransmissionBudget(int percent, long floorBytesPerSecond, long nowNanos) {
    if (percent < 0 || percent > 1000 || floorBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "NACK budget must be 0–1000 % with a floor ≥ 0, was "
              + percent
              + " % and "
              + floorBytesPerSecond
              + " B/s");
    }
    this.share = percent / 100.0;
    this.floorBytesPerSecond = floorBytesPerSecond;
    this.windowStartNanos = nowNanos;
    this.lastRefillNanos = nowNanos;
    this.tokens =
        floorBytesPerSecond; // a full bucket at the floor: the first losses are repaired at once
  }

  /** {@code bytes} went to the viewer for the first time. */
  void sent(int bytes, long nowNanos) {
    roll(nowNanos);
    windowBytes += bytes;
  }

  /** Whether {@code bytes} may go again now; if not, it is counted as refused. */
  boolean take(int bytes, long nowNanos) {
    double rate = bytesPerSecond(nowNanos);
    long elapsed = nowNanos - lastRefillNanos;
    if (elapsed > 0) {
      tokens = Math.min(rate, tokens + rate * elapsed / SECOND);
      lastRefillNanos = nowNanos;
    }
    if (tokens >= bytes) {
      tokens -= bytes;
      return true;
    }
    refusedPackets++;
    refusedBytes += bytes;
    return false;
  }

  /**
   * The refill rate now: the budget's share of the last second's first transmissions, at least the
   * floor.
   */
  double bytesPerSecond(long nowNanos) {
    roll(nowNanos);
    return Math.max(floorBytesPerSecond, share * Math.max(lastWindowBytes, windowBytes));
  }

  long refusedPackets() {
    return refusedPackets;
  }

  long refusedBytes() {
    return refusedBytes;
  }

  private void roll(long nowNanos) {
    long since = nowNanos - windowStartNanos;
    if (since >= SECOND) {
      lastWindowBytes =
          since < 2 * SECOND ? windowBytes : 0; // a silent second in between: nothing recent
      windowBytes = 0;
      windowStartNanos = nowNanos;
    }
  }
}
