package io.camflow.media.hls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sliding window of a live stream's playlist, fed with parts and segment completions as the
 * packager publishes them, and turned into immutable {@link MediaPlaylist} snapshots.
 *
 * <p>It keeps the sequence arithmetic right as segments slide out: EXT-X-MEDIA-SEQUENCE is the
 * first segment's number (6.2.2: incremented by one per removed segment, never decreasing), and
 * EXT-X-DISCONTINUITY-SEQUENCE is incremented for every removed EXT-X-DISCONTINUITY so that the
 * segments still listed keep their Discontinuity Sequence Numbers (6.2.2). A segment is never
 * removed if the rest would last less than three target durations (6.2.2).
 *
 * <p>Source sessions are named by their init number: a part with a different init number than the
 * previous segment starts a segment with EXT-X-DISCONTINUITY and a new EXT-X-MAP ({@code
 * init-<n>.mp4}), as 6.2.1 requires for "any changes in encoding parameters ... or timing
 * information".
 *
 * <p>Input is tolerated the way a Kafka consumer needs: a part or completion already seen is
 * ignored (returns false); a part that skips ahead drops what can no longer be completed, and a gap
 * in segment numbers restarts the window with a discontinuity.
 *
 * <p>Not thread-safe: confine it to the stream's consumer thread and publish {@link #snapshot()}
 * results (immutable) through a volatile field.
 */
public final class PlaylistWindow {

  /** Segments kept in the playlist by default (7 × 2 s = 14 s of DVR-free live window). */
  public static final int DEFAULT_MAX_SEGMENTS = 7;

  private double partTargetSeconds;
  private final int maxSegments;
  private final ArrayDeque<SegmentRef> segments = new ArrayDeque<>();
  private int targetDurationSeconds;
  private long discontinuitySequence;
  private boolean ended;
  private long version;

  // the segment in progress
  private long openMsn = -1;
  private Instant openProgramDateTime;
  private boolean openDiscontinuity;
  private long openInit = -1;
  private final List<PartRef> openParts = new ArrayList<>();

  /** Init number of the last segment added (complete or open); -1 before the first. */
  private long lastInit = -1;

  /** The number the next segment must have; -1 while the window is empty. */
  private long nextMsn = -1;

  /** Part target {@link PartSchedule#DEFAULT_PART_TARGET}, segment target 2 s, 7 segments. */
  public PlaylistWindow() {
    this(
        PartSchedule.DEFAULT_PART_TARGET,
        PartSchedule.DEFAULT_SEGMENT_TARGET,
        DEFAULT_MAX_SEGMENTS);
  }

  /**
   * @param partTarget the packager's part target (PART-TARGET)
   * @param segmentTarget the packager's segment target: the initial EXT-X-TARGETDURATION, rounded
   * @param maxSegments complete segments to keep, at least 3
   */
  public PlaylistWindow(Duration partTarget, Duration segmentTarget, int maxSegments) {
    Objects.requireNonNull(partTarget, "partTarget");
    Objects.requireNonNull(segmentTarget, "segmentTarget");
    if (partTarget.isNegative() || partTarget.isZero()) {
      throw new IllegalArgumentException("part target must be positive");
    }
    if (maxSegments < 3) {
      throw new IllegalArgumentException("keep at least 3 segments, was " + maxSegments);
    }
    this.partTargetSeconds = partTarget.toNanos() / 1e9;
    this.targetDurationSeconds =
        (int) Math.max(1, HlsFormat.roundedWholeSeconds(segmentTarget.toNanos() / 1e9));
    this.maxSegments = maxSegments;
  }

  /**
   * The targets the packager says it cuts to (on its init records): the part target from now on,
   * and the initial target duration while the window holds no segment yet (afterwards the target
   * duration only grows with the longest segment, as HLS requires).
   */
  public void targets(Duration partTarget, Duration segmentTarget) {
    if (partTarget.isNegative()
        || partTarget.isZero()
        || segmentTarget.isNegative()
        || segmentTarget.isZero()) {
      throw new IllegalArgumentException("targets must be positive");
    }
    partTargetSeconds = partTarget.toNanos() / 1e9;
    if (segments.isEmpty() && openMsn < 0) {
      targetDurationSeconds =
          (int) Math.max(1, HlsFormat.roundedWholeSeconds(segmentTarget.toNanos() / 1e9));
    }
    version++;
  }

  /**
   * Adds part {@code index} of segment {@code msn}.
   *
   * @param durationSeconds the part's duration
   * @param independent whether it starts with a keyframe
   * @param programDateTime wall-clock time of the part's first sample; that of part 0 becomes the
   *     segment's EXT-X-PROGRAM-DATE-TIME
   * @param initNumber the source session (init segment) the part belongs to
   * @return whether the part was taken; false for a duplicate, or for a part that cannot be placed
   *     (not part 0 of a segment while none is open)
   * @throws IllegalStateException after {@link #end()}
   */
  public boolean addPart(
      long msn,
      int index,
      double durationSeconds,
      boolean independent,
      Instant programDateTime,
      long initNumber) {
    return addPart(msn, index, durationSeconds, independent, programDateTime, initNumber, false);
  }

  /**
   * As {@link #addPart(long, int, double, boolean, Instant, long)}, with an explicit discontinuity
   * for part 0 (a timestamp jump the packager saw within one init). A segment starts with
   * EXT-X-DISCONTINUITY if {@code discontinuity} is set on its part 0 or its init differs from the
   * previous segment's; it has to be known then, since tags already served must not change (6.2.1).
   * Ignored for parts other than 0.
   */
  public boolean addPart(
      long msn,
      int index,
      double durationSeconds,
      boolean independent,
      Instant programDateTime,
      long initNumber,
      boolean discontinuity) {
    HlsNames.requireNumber("media sequence number", msn);
    HlsNames.requirePartIndex(index);
    HlsFormat.requireDuration("part", durationSeconds);
    Objects.requireNonNull(programDateTime, "programDateTime");
    HlsNames.requireNumber("init number", initNumber);
    if (ended) {
      throw new IllegalStateException("the playlist has ended");
    }
    if (openMsn >= 0) {
      if (msn == openMsn && index == openParts.size()) {
        if (initNumber != openInit) {
          throw new IllegalArgumentException(
              "part "
                  + msn
                  + "."
                  + index
                  + " has init "
                  + initNumber
                  + " but its segment started with init "
                  + openInit);
        }
        appendPart(msn, index, durationSeconds, independent);
        return true;
      }
      if (msn < openMsn || msn == openMsn && index < openParts.size()) {
        return false; // seen already
      }
      if (msn == openMsn + 1 && index == 0) {
        // the next segment started without an explicit completion: the open one is complete
        completeOpen(openPartsDuration());
      } else {
        dropOpen(); // a part is missing: the open segment can never be completed
        if (index != 0) {
          return false;
        }
      }
    } else if (index != 0) {
      return false; // joined mid-segment; wait for the next segment's first part
    }
    // index == 0: a new segment
    if (nextMsn >= 0 && msn < nextMsn) {
      return false; // seen already
    }
    boolean gap = nextMsn >= 0 && msn > nextMsn;
    if (gap) {
      restartAfterGap();
    }
    openMsn = msn;
    openProgramDateTime = programDateTime;
    openInit = initNumber;
    openDiscontinuity = gap || lastInit >= 0 && (discontinuity || initNumber != lastInit);
    lastInit = initNumber;
    nextMsn = msn + 1;
    appendPart(msn, 0, durationSeconds, independent);
    return true;
  }

  /**
   * Completes segment {@code msn}, which must be the segment in progress.
   *
   * @param durationSeconds the segment's exact duration (the sum of its parts)
   * @return whether it was taken; false if {@code msn} is not the segment in progress (a duplicate,
   *     or a segment whose parts were not all seen)
   */
  public boolean completeSegment(long msn, double durationSeconds) {
    HlsFormat.requireDuration("segment", durationSeconds);
    if (ended) {
      throw new IllegalStateException("the playlist has ended");
    }
    if (openMsn < 0 || msn != openMsn) {
      return false;
    }
    completeOpen(durationSeconds);
    return true;
  }

  /**
   * Ends the stream: the segment in progress is completed with the parts it has, and snapshots
   * carry EXT-X-ENDLIST and no preload hint.
   */
  public void end() {
    if (ended) {
      return;
    }
    if (openMsn >= 0) {
      completeOpen(openPartsDuration());
    }
    ended = true;
    version++;
  }

  /** Whether {@link #end()} was called. */
  public boolean ended() {
    return ended;
  }

  /** Incremented on every change, so a rendered snapshot can be cached by version. */
  public long version() {
    return version;
  }

  /** The current EXT-X-DISCONTINUITY-SEQUENCE. */
  public long discontinuitySequence() {
    return discontinuitySequence;
  }

  /** The current playlist, or empty while the window holds nothing. */
  public Optional<MediaPlaylist> snapshot() {
    if (segments.isEmpty() && openMsn < 0) {
      return Optional.empty();
    }
    MediaPlaylist.Builder builder =
        MediaPlaylist.builder()
            .targetDurationSeconds(targetDurationSeconds)
            .partTargetSeconds(partTargetSeconds)
            .discontinuitySequence(discontinuitySequence)
            .segments(new ArrayList<>(segments))
            .ended(ended);
    if (openMsn >= 0) {
      builder.addSegment(
          SegmentRef.inProgress(
              openMsn, openProgramDateTime, openDiscontinuity, HlsNames.init(openInit), openParts));
      builder.preloadHint(new PreloadHint(HlsNames.part(openMsn, openParts.size())));
    } else if (!ended) {
      builder.preloadHint(new PreloadHint(HlsNames.part(nextMsn, 0)));
    }
    return Optional.of(builder.build());
  }

  private void appendPart(long msn, int index, double durationSeconds, boolean independent) {
    openParts.add(new PartRef(HlsNames.part(msn, index), durationSeconds, independent));
    version++;
  }

  private double openPartsDuration() {
    double sum = 0;
    for (PartRef p : openParts) {
      sum += p.durationSeconds();
    }
    return sum;
  }

  private void completeOpen(double durationSeconds) {
    SegmentRef segment =
        SegmentRef.complete(
            openMsn,
            HlsNames.segment(openMsn),
            durationSeconds,
            openProgramDateTime,
            openDiscontinuity,
            HlsNames.init(openInit),
            openParts);
    // 6.2.1: the target duration MUST NOT change; it only grows, when a segment (a long GOP)
    // would otherwise break 4.4.3.1.
    targetDurationSeconds =
        (int) Math.max(targetDurationSeconds, HlsFormat.roundedWholeSeconds(durationSeconds));
    segments.addLast(segment);
    clearOpen();
    evict();
    version++;
  }

  private void dropOpen() {
    // the dropped segment's number is not reused by a later one: the next segment must be this
    // number again (a replay), or it is a gap
    nextMsn = openMsn;
    clearOpen();
    version++;
  }

  private void clearOpen() {
    openMsn = -1;
    openParts.clear();
    openProgramDateTime = null;
    openInit = -1;
    openDiscontinuity = false;
  }

  /**
   * Removes the oldest segments beyond {@code maxSegments}, keeping at least 3 target durations.
   */
  private void evict() {
    double total = 0;
    for (SegmentRef s : segments) {
      total += s.durationSeconds();
    }
    double minimum = 3.0 * targetDurationSeconds;
    while (segments.size() > maxSegments) {
      SegmentRef oldest = segments.peekFirst();
      if (total - oldest.durationSeconds() < minimum - HlsFormat.EPSILON) {
        break;
      }
      removeOldest();
      total -= oldest.durationSeconds();
    }
  }

  private void removeOldest() {
    SegmentRef removed = segments.removeFirst();
    if (removed.discontinuity()) {
      discontinuitySequence++;
    }
  }

  /**
   * Segment numbers jumped (records lost, packager restarted): the listed segments can no longer be
   * followed by the new one in one playlist, so they all go; the new segment starts with a
   * discontinuity whose number follows the removed ones.
   */
  private void restartAfterGap() {
    while (!segments.isEmpty()) {
      removeOldest();
    }
    version++;
  }
}
