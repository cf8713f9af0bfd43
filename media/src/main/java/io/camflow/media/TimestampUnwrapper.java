package io.camflow.media;

/**
 * Extends a wrapping timestamp counter (RTP: 32 bits, MPEG-TS: 33 bits) to a 64-bit timeline.
 *
 * <p>Each raw value is placed at the extended value nearest to the previous one, i.e. steps of less
 * than half the counter range are taken at face value in either direction. So B-frame reordering
 * stays backward even across a wrap, and a forward wrap adds {@code 2^bits}. Not thread-safe: one
 * unwrapper per timestamp source.
 */
public final class TimestampUnwrapper {

  private final int bits;
  private final long modulus;
  private final long mask;
  private boolean started;
  private long lastRaw;
  private long lastExtended;

  /**
   * @param bits counter width, 1..62
   */
  public TimestampUnwrapper(int bits) {
    if (bits < 1 || bits > 62) {
      throw new IllegalArgumentException("bits must be within 1..62, was " + bits);
    }
    this.bits = bits;
    this.modulus = 1L << bits;
    this.mask = modulus - 1;
  }

  /**
   * The extended timestamp for {@code raw}. Only the low {@code bits} of {@code raw} are used, so a
   * sign-extended 32-bit RTP timestamp held in an {@code int} may be passed as is.
   */
  public long unwrap(long raw) {
    long value = raw & mask;
    if (!started) {
      started = true;
    } else {
      long step = (value - lastRaw) & mask;
      if (step >= modulus / 2) {
        step -= modulus; // nearer backwards than forwards
      }
      value = lastExtended + step;
    }
    lastRaw = raw & mask;
    lastExtended = value;
    return value;
  }

  /** Forgets the history, e.g. after a reconnect that restarts the counter at a random value. */
  public void reset() {
    started = false;
  }

  public int bits() {
    return bits;
  }
}
