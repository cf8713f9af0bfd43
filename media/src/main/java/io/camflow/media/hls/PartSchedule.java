package io.camflow.media.hls;

import java.time.Duration;
import java.util.Objects;

/**
 * Decides where the packager cuts Partial Segments and Media Segments, fed one video frame at a
 * time in decode order. A small state machine: no I/O, no clock, not thread-safe (one per stream).
 *
 * <p>For each frame, {@link #next} says what the frame starts:
 *
 * <ul>
 *   <li>{@link Cut#SEGMENT}: close the current part and segment; this frame (always a keyframe)
 *       starts segment and part 0. The first frame of a session is a SEGMENT with nothing to close.
 *   <li>{@link Cut#PART}: close the current part; this frame starts the next part of the segment.
 *   <li>{@link Cut#NONE}: append the frame to the current part.
 *   <li>{@link Cut#DROP}: no segment is open and the frame is not a keyframe: it cannot be packaged
 *       (a session must start on a keyframe).
 * </ul>
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>A segment is cut only on a keyframe, and only once the segment has lasted at least the
 *       segment target (default 2 s). So a segment is one or more whole GOPs: the GOP itself when
 *       the GOP is longer than the target (RFC 8216bis 6.2.1: divide "on packet and key frame
 *       boundaries"; Appendix B: each segment contains an independent frame).
 *   <li>A part is cut on a frame boundary before the frame that would take it past the part target
 *       (4.4.4.9: a part MUST NOT last longer than PART-TARGET), estimating the frame's duration as
 *       the longest of the last four frame intervals. With a constant frame rate parts are thus
 *       between 85 % and 100 % of the target (4.4.4.9's minimum), except the last part of a
 *       segment, which may be shorter (allowed by the same rule).
 *   <li>A keyframe inside a segment also starts a new part once the current part has reached 85 %
 *       of the target, so the new part is independent and a player can join on it.
 *   <li>A part is independent ({@code INDEPENDENT=YES}) when its first frame is a keyframe.
 * </ul>
 *
 * <p>A frame longer than the part target (variable frame rate, a camera dropping to 1 fps at night)
 * still makes a part longer than the target, since a frame cannot be split; the playlist builder
 * then raises the advertised PART-TARGET (see {@link MediaPlaylist.Builder}).
 *
 * <p>Call {@link #reset} on a discontinuity (new source session, timestamp jump, codec change): the
 * next frame must be a keyframe and starts a new segment.
 */
public final class PartSchedule {

  /** What a frame starts; see {@link PartSchedule}. */
  public enum Cut {
    DROP,
    NONE,
    PART,
    SEGMENT
  }

  /** 0.33334 s, the part target of the RFC's low-latency example: 10 frames at 30 fps, 8 at 25. */
  public static final Duration DEFAULT_PART_TARGET = Duration.ofNanos(333_340_000);

  public static final Duration MIN_PART_TARGET = Duration.ofMillis(200);
  public static final Duration MAX_PART_TARGET = Duration.ofMillis(1000);

  public static final Duration DEFAULT_SEGMENT_TARGET = Duration.ofSeconds(2);
  public static final Duration MIN_SEGMENT_TARGET = Duration.ofSeconds(1);
  public static final Duration MAX_SEGMENT_TARGET = Duration.ofSeconds(10);

  private static final int INTERVAL_HISTORY = 4;
  private static final long MICROS_PER_SECOND = 1_000_000;

  private final Duration partTarget;
  private final Duration segmentTarget;
  private final long partTargetMicros;
  private final long segmentTargetMicros;

  private boolean started;
  private int timescale;

  /** Largest part length in ticks that does not exceed the part target. */
  private long partMaxTicks;

  /** Smallest part length in ticks that is at least 85 % of the part target. */
  private long partMinTicks;

  /** Smallest segment length in ticks that reaches the segment target. */
  private long segmentMinTicks;

  private long lastDts;
  private long partStartDts;
  private long segmentStartDts;
  private int partIndex;
  private boolean partIndependent;
  private final long[] intervals = new long[INTERVAL_HISTORY];
  private int intervalCount;
  private int intervalNext;

  /** Part target {@link #DEFAULT_PART_TARGET}, segment target {@link #DEFAULT_SEGMENT_TARGET}. */
  public PartSchedule() {
    this(DEFAULT_PART_TARGET, DEFAULT_SEGMENT_TARGET);
  }

  /**
   * @param partTarget 200 ms to 1 s
   * @param segmentTarget 1 s to 10 s, and at least the part target
   */
  public PartSchedule(Duration partTarget, Duration segmentTarget) {
    Objects.requireNonNull(partTarget, "partTarget");
    Objects.requireNonNull(segmentTarget, "segmentTarget");
    if (partTarget.compareTo(MIN_PART_TARGET) < 0 || partTarget.compareTo(MAX_PART_TARGET) > 0) {
      throw new IllegalArgumentException(
          "part target must be within 200..1000 ms, was " + partTarget.toNanos() / 1e6 + " ms");
    }
    if (segmentTarget.compareTo(MIN_SEGMENT_TARGET) < 0
        || segmentTarget.compareTo(MAX_SEGMENT_TARGET) > 0) {
      throw new IllegalArgumentException(
          "segment target must be within 1..10 s, was " + segmentTarget.toNanos() / 1e9 + " s");
    }
    if (segmentTarget.compareTo(partTarget) < 0) {
      throw new IllegalArgumentException(
          "segment target ("
              + segmentTarget
              + ") must not be shorter than the part target ("
              + partTarget
              + ")");
    }
    this.partTarget = partTarget;
    this.segmentTarget = segmentTarget;
    this.partTargetMicros = partTarget.toNanos() / 1000;
    this.segmentTargetMicros = segmentTarget.toNanos() / 1000;
  }

  /**
   * Where this frame falls. {@code dts} is the frame's decode timestamp in {@code timescale} ticks
   * per second, non-decreasing within a session; {@code timescale} stays the same within a session.
   *
   * @throws IllegalArgumentException if dts goes backwards or the timescale changes without a
   *     {@link #reset}, which the caller must treat as a discontinuity
   */
  public Cut next(long dts, int timescale, boolean keyframe) {
    if (timescale <= 0) {
      throw new IllegalArgumentException("timescale must be positive, was " + timescale);
    }
    if (!started) {
      if (!keyframe) {
        return Cut.DROP;
      }
      started = true;
      setTimescale(timescale);
      lastDts = dts;
      startSegment(dts);
      return Cut.SEGMENT;
    }
    if (timescale != this.timescale) {
      throw new IllegalArgumentException(
          "timescale changed from " + this.timescale + " to " + timescale + " without reset()");
    }
    if (dts < lastDts) {
      throw new IllegalArgumentException(
          "dts went backwards from "
              + lastDts
              + " to "
              + dts
              + "; call reset() on a discontinuity");
    }
    long interval = dts - lastDts; // the previous frame's duration, now known
    recordInterval(interval);
    lastDts = dts;

    long segmentElapsed = dts - segmentStartDts;
    if (keyframe && segmentElapsed >= segmentMinTicks) {
      startSegment(dts);
      return Cut.SEGMENT;
    }
    long partElapsed = dts - partStartDts;
    if (partElapsed > 0 && partIndex < HlsNames.MAX_PART_INDEX) {
      boolean wouldOverrun = partElapsed + estimatedFrameTicks() > partMaxTicks;
      boolean independentStart = keyframe && partElapsed >= partMinTicks;
      if (wouldOverrun || independentStart) {
        partStartDts = dts;
        partIndex++;
        partIndependent = keyframe;
        return Cut.PART;
      }
    }
    return Cut.NONE;
  }

  /** Forgets the session: the next frame must be a keyframe and starts a new segment. */
  public void reset() {
    started = false;
    intervalCount = 0;
    intervalNext = 0;
    partIndex = 0;
    partIndependent = false;
  }

  /** Whether a segment is open (a keyframe was seen since construction or {@link #reset}). */
  public boolean started() {
    return started;
  }

  /** Part Index, within its segment, of the part the last accepted frame went into. */
  public int partIndex() {
    return partIndex;
  }

  /** Whether the current part starts with a keyframe. */
  public boolean partIndependent() {
    return partIndependent;
  }

  /** dts of the current part's first frame. */
  public long partStartDts() {
    return partStartDts;
  }

  /** dts of the current segment's first frame. */
  public long segmentStartDts() {
    return segmentStartDts;
  }

  /** dts of the last frame given to {@link #next}. */
  public long lastDts() {
    return lastDts;
  }

  /** The session's timescale (0 before the first keyframe). */
  public int timescale() {
    return started ? timescale : 0;
  }

  /**
   * The expected duration of the last frame, in ticks (longest of the last four intervals; 0 before
   * the second frame): what the packager may use to close the last part when a session ends.
   */
  public long estimatedFrameTicks() {
    long max = 0;
    for (int i = 0; i < intervalCount; i++) {
      max = Math.max(max, intervals[i]);
    }
    return max;
  }

  public Duration partTarget() {
    return partTarget;
  }

  public Duration segmentTarget() {
    return segmentTarget;
  }

  /** The part target in seconds, for {@link MediaPlaylist.Builder#partTargetSeconds}. */
  public double partTargetSeconds() {
    return partTargetMicros / (double) MICROS_PER_SECOND;
  }

  private void startSegment(long dts) {
    segmentStartDts = dts;
    partStartDts = dts;
    partIndex = 0;
    partIndependent = true;
  }

  private void setTimescale(int timescale) {
    this.timescale = timescale;
    // x ticks last x / timescale s. "x <= target" <=> x * 1e6 <= targetMicros * timescale.
    long partScaled = partTargetMicros * timescale; // <= 1e6 * 2^31, no overflow
    long segmentScaled = segmentTargetMicros * timescale; // <= 1e7 * 2^31
    this.partMaxTicks = Math.floorDiv(partScaled, MICROS_PER_SECOND);
    this.partMinTicks = ceilDiv(partScaled * 85, MICROS_PER_SECOND * 100);
    this.segmentMinTicks = ceilDiv(segmentScaled, MICROS_PER_SECOND);
  }

  private void recordInterval(long interval) {
    intervals[intervalNext] = interval;
    intervalNext = (intervalNext + 1) % INTERVAL_HISTORY;
    intervalCount = Math.min(intervalCount + 1, INTERVAL_HISTORY);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
