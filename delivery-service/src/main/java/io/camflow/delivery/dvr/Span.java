package io.camflow.delivery.dvr;

import io.camflow.media.record.IndexEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A continuous stretch of a recording: segments of one source session that follow each other
 * without a gap. A span ends where the camera was offline, the stream was not pulled, or its
 * session changed (a reconnect, a new codec configuration) — where a player meets a discontinuity.
 *
 * @param start capture time of the span's first frame
 * @param end capture time just after its last frame
 * @param segments how many CMAF segments it holds
 */
public record Span(Instant start, Instant end, int segments) {

  /**
   * Most a segment of the same session may start after the previous one ended (or before) and still
   * continue it. The entries' start times are capture wall clocks, their durations media time: the
   * two differ by a few ms, and while ingest slews its capture clock to the camera's by up to 2 %
   * of a segment. And a camera that stalls for a moment without dropping the connection leaves a
   * hole of that moment before its next keyframe (a live sample's duration is only known from the
   * one after it). Holes under a second are hiccups, not absences, as MediaMTX also joins recorded
   * segments within a second; a longer stall is a gap.
   */
  static final Duration JOIN_TOLERANCE = Duration.ofSeconds(1);

  public Duration duration() {
    return Duration.between(start, end);
  }

  /** The spans of {@code entries} (in index order), in time order. */
  public static List<Span> of(List<IndexEntry> entries) {
    Builder b = new Builder();
    entries.forEach(b::add);
    return b.spans();
  }

  /** Spans from entries given one at a time, in index order (a range read without a list). */
  public static final class Builder {
    private final List<Span> done = new ArrayList<>();
    private IndexEntry first;
    private IndexEntry last;
    private int count;

    public void add(IndexEntry e) {
      if (last != null && !continues(last, e)) {
        done.add(span(first, last, count));
        first = null;
      }
      if (first == null) {
        first = e;
        count = 0;
      }
      last = e;
      count++;
    }

    /** The spans so far, the open one included. */
    public List<Span> spans() {
      List<Span> out = new ArrayList<>(done);
      if (first != null) {
        out.add(span(first, last, count));
      }
      return out;
    }
  }

  /** Whether {@code next} carries on right where {@code previous} ended. */
  static boolean continues(IndexEntry previous, IndexEntry next) {
    return next.session().equals(previous.session())
        && !next.discontinuity()
        && next.msn() == previous.msn() + 1
        && Math.abs(next.startMillis() - previous.endMillis()) <= JOIN_TOLERANCE.toMillis();
  }

  private static Span span(IndexEntry first, IndexEntry last, int count) {
    return new Span(
        Instant.ofEpochMilli(first.startMillis()), Instant.ofEpochMilli(last.endMillis()), count);
  }
}
