package io.camflow.media.au;

import java.util.Arrays;

/**
 * Decode timestamps for a video track whose source carries presentation times only, as RTP does.
 * Pictures arrive in decoding order; with B-frames their presentation times jump back and forth,
 * and a container needs decode times that only go forward and never pass the presentation time.
 *
 * <p>The rule: with a reorder depth of {@code n} (at most {@code n} pictures precede any picture in
 * decoding order and follow it in output order — the SPS says how many), the decode time of the
 * k-th picture is the k-th smallest presentation time, taken {@code n} pictures later. Kept as the
 * {@code n} largest presentation times seen so far: each new picture adds its own, and the smallest
 * of the {@code n + 1} leaves as its decode time. That value is never above the picture's own
 * presentation time (it is the minimum of a set holding it), and it never goes back: a smaller one
 * would need more than {@code n} earlier pictures presented after it. The decode times are the
 * presentation times themselves, so sample durations are the true frame intervals. The first {@code
 * n} pictures of a session take invented times {@code n, n-1, …, 1} frame intervals before the
 * first picture's presentation time. Without reordering ({@code n = 0}) the decode time is the
 * presentation time.
 *
 * <p>A stream that reorders deeper than its SPS admits would make a decode time go back: such a
 * picture gets the previous decode time plus one tick instead (order comes first: decoders and fMP4
 * need it), the repair is counted, and the depth grows by one so the rest of the stream is right
 * again. Not thread-safe: one per track.
 */
public final class DecodeTimestamps {

  /** The largest reorder depth H.264 and H.265 allow (a DPB of 16 pictures). */
  public static final int MAX_DEPTH = 16;

  /**
   * The presentation times still to be handed out as decode times, ascending; {@code count} used.
   */
  private final long[] held = new long[MAX_DEPTH + 1];

  private int count;
  private int depth;
  private long frameTicks;
  private boolean started;
  private long lastDts;
  private long repairs;

  /**
   * @param frameTicks a frame interval in timestamp ticks, for the invented times of a session's
   *     first pictures
   */
  public DecodeTimestamps(long frameTicks) {
    frameInterval(frameTicks);
  }

  /**
   * The reorder depth of the SPS in force. A smaller one lets the held times go at once (each is
   * still at or after the last decode time); a larger one (a new SPS mid-session) adds times one
   * tick apart after the last decode time, so the next pictures decode a tick apart until the delay
   * is built up.
   */
  public void reorderDepth(int newDepth) {
    if (newDepth < 0 || newDepth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          "reorder depth must be 0.." + MAX_DEPTH + ", was " + newDepth);
    }
    if (started) {
      while (count > newDepth) {
        removeSmallest();
      }
      for (int i = 1; count < newDepth; i++) {
        insert(lastDts + i);
      }
    }
    depth = newDepth;
  }

  /** The frame interval (ticks) for the invented times of the next session's first pictures. */
  public void frameInterval(long ticks) {
    if (ticks <= 0) {
      throw new IllegalArgumentException("frame interval must be > 0 ticks, was " + ticks);
    }
    frameTicks = ticks;
  }

  public int reorderDepth() {
    return depth;
  }

  /**
   * Starts over, e.g. at a session's first keyframe: the next picture gets invented predecessors
   * again.
   */
  public void restart() {
    started = false;
    count = 0;
  }

  /** The decode time of the next picture in decoding order, given its presentation time. */
  public long next(long pts) {
    if (!started) {
      for (int k = depth; k >= 1; k--) {
        held[count++] = pts - k * frameTicks;
      }
    }
    insert(pts);
    long dts = removeSmallest();
    boolean repair = started && dts <= lastDts;
    if (repair) {
      repairs++;
      dts = lastDts + 1;
    }
    started = true;
    lastDts = dts;
    if (repair && depth < MAX_DEPTH) {
      reorderDepth(depth + 1);
    }
    return dts;
  }

  /**
   * Pictures whose decode time had to be repaired (a stream reordering deeper than its SPS says).
   */
  public long repairs() {
    return repairs;
  }

  private void insert(long value) {
    int at = Arrays.binarySearch(held, 0, count, value);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(held, at, held, at + 1, count - at);
    held[at] = value;
    count++;
  }

  private long removeSmallest() {
    long smallest = held[0];
    System.arraycopy(held, 1, held, 0, count - 1);
    count--;
    return smallest;
  }
}
