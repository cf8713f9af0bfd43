package io.camflow.delivery.whep;

/**
 * One viewer's RTP time for one track, made from the stream's frame timestamps. Live frames keep
 * their spacing (out = source + shift). A burst — the GOP cache sent at once to a new viewer, or
 * again after a picture loss — gets timestamps one tick apart, just after the last one sent: the
 * receiver sees frames that are all due now and decodes them at once, instead of scheduling seconds
 * of old pictures at their original pace (which would put the viewer that far behind live for
 * good). The live frames after a burst continue one tick after its last frame.
 *
 * <p>Not thread-safe: one per viewer and track, used by the viewer's sending thread.
 */
public final class RtpTimeline {

  /** A source jump larger than this (a new camera session, a clock reset) re-bases the shift. */
  private final long maxJump;

  /** The spacing used after a re-base (a frame interval). */
  private final long rebaseStep;

  private long shift;
  private long lastOut;
  private boolean started;

  /**
   * @param origin the first timestamp handed out (random, RFC 3550 5.1)
   * @param clockRate ticks per second
   */
  public RtpTimeline(long origin, int clockRate) {
    this.lastOut = origin - 1;
    this.maxJump = 10L * clockRate;
    this.rebaseStep = Math.max(1, clockRate / 30);
  }

  /**
   * The timestamp of the next frame of a burst whose last frame has source timestamp {@code
   * source}.
   */
  long burst(long source, boolean lastOfBurst) {
    long out = lastOut + 1;
    lastOut = out;
    if (lastOfBurst) {
      shift = out - source; // live frames go on from here with their own spacing
      started = true;
    }
    return out;
  }

  /** The timestamp of a live frame. */
  public long live(long source) {
    long out = source + shift;
    if (!started || out <= lastOut || out - lastOut > maxJump) {
      // before any burst, after a new camera session or a jump: keep time moving forward by one
      // frame
      out = lastOut + (started ? rebaseStep : 1);
      shift = out - source;
      started = true;
    }
    lastOut = out;
    return out;
  }

  /** The last timestamp handed out (for sender reports). */
  public long last() {
    return lastOut;
  }

  /** The shift from source to out timestamps in force (for sender reports). */
  long shift() {
    return shift;
  }
}
