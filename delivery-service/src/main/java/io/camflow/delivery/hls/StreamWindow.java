package io.camflow.delivery.hls;

import io.camflow.media.hls.HlsNames;
import io.camflow.media.hls.MediaPlaylist;
import io.camflow.media.hls.PlaylistWindow;
import io.camflow.media.record.CmafRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The in-memory live window of one stream, fed with its CMAF records in topic order by the stream's
 * single Kafka consumer and read by every viewer: init segments by id, the chunks of the last
 * segments (one shared byte[] per chunk, never copied per viewer) and the {@link PlaylistWindow}
 * that turns part and segment ends into playlists.
 *
 * <p>Writes come from one thread; reads from any. Methods are synchronized (short critical
 * sections, no I/O); the current playlist is published through a volatile field.
 */
public final class StreamWindow {

  /**
   * Segments kept downloadable behind the playlist's first one (6.2.2 asks to keep them a while).
   */
  static final int KEEP_BEHIND = 3;

  private final PlaylistWindow playlist;
  private final TreeMap<Long, InitData> inits = new TreeMap<>();
  private final TreeMap<Long, SegmentData> segments = new TreeMap<>();
  private volatile MediaPlaylist current;
  private long renderedVersion = -1;
  private volatile Listener listener = (record, timestampMillis) -> {};

  /**
   * Told of every record the window took, on the feed thread, outside the window's lock (MSE
   * fan-out).
   */
  @FunctionalInterface
  public interface Listener {
    void accepted(CmafRecord record, long timestampMillis);
  }

  private record InitData(byte[] data, String codecs) {}

  /** One segment's chunks: complete parts, and the part being written. */
  private static final class SegmentData {
    final long init;
    final long firstChunkMillis;
    final List<List<byte[]>> parts = new ArrayList<>();
    List<byte[]> openPart = new ArrayList<>();
    boolean complete;

    SegmentData(long init, long firstChunkMillis) {
      this.init = init;
      this.firstChunkMillis = firstChunkMillis;
    }
  }

  public StreamWindow(PlaylistWindow playlist) {
    this.playlist = playlist;
  }

  /**
   * Takes the next record of the topic.
   *
   * @param timestampMillis the Kafka record timestamp (capture wall clock)
   * @return whether what viewers can get changed (a playlist, part, segment or init appeared): time
   *     to re-decide held requests
   */
  public boolean accept(CmafRecord record, long timestampMillis) {
    boolean changed = take(record, timestampMillis);
    listener.accepted(record, timestampMillis);
    return changed;
  }

  /** Sets the one listener of accepted records (replacing any). */
  public void listener(Listener listener) {
    this.listener = listener;
  }

  private synchronized boolean take(CmafRecord record, long timestampMillis) {
    boolean changed =
        switch (record) {
          case CmafRecord.Init init -> {
            inits.put(init.init(), new InitData(init.data(), init.codecs()));
            if (init
                .saysTargets()) { // the packager's own targets: configured once, for the packager
              playlist.targets(
                  Duration.ofNanos(init.partTargetMicros() * 1000),
                  Duration.ofNanos(init.segmentTargetMicros() * 1000));
            }
            yield true;
          }
          case CmafRecord.Chunk chunk -> {
            chunk(chunk, timestampMillis);
            yield false;
          }
          case CmafRecord.PartEnd end -> partEnd(end, timestampMillis);
          case CmafRecord.SegmentEnd end -> segmentEnd(end);
        };
    if (changed) {
      publish();
    }
    return changed;
  }

  private void chunk(CmafRecord.Chunk chunk, long timestampMillis) {
    SegmentData segment = segments.get(chunk.msn());
    if (segment == null) {
      if (chunk.part() != 0) {
        return; // joined mid-segment: its first parts are not here, it can never be served whole
      }
      segment = new SegmentData(chunk.init(), timestampMillis);
      segments.put(chunk.msn(), segment);
    }
    if (!segment.complete && chunk.part() == segment.parts.size()) {
      segment.openPart.add(chunk.data());
    }
  }

  private boolean partEnd(CmafRecord.PartEnd end, long timestampMillis) {
    SegmentData segment = segments.get(end.msn());
    if (segment == null || segment.complete || end.part() != segment.parts.size()) {
      return false; // a part we did not see from its start, or one seen already
    }
    segment.parts.add(List.copyOf(segment.openPart));
    segment.openPart = new ArrayList<>();
    Instant programDateTime = Instant.ofEpochMilli(segment.firstChunkMillis);
    playlist.addPart(
        end.msn(),
        end.part(),
        Math.max(end.durationMicros(), 1) / 1e6,
        end.independent(),
        programDateTime,
        end.init());
    return true;
  }

  private boolean segmentEnd(CmafRecord.SegmentEnd end) {
    SegmentData segment = segments.get(end.msn());
    if (segment == null || segment.complete) {
      return false;
    }
    segment.complete = true;
    playlist.completeSegment(end.msn(), Math.max(end.durationMicros(), 1) / 1e6);
    evict();
    return true;
  }

  /** Drops segments well behind the playlist, and init segments no kept segment uses. */
  private void evict() {
    MediaPlaylist p = playlist.snapshot().orElse(null);
    if (p == null) {
      return;
    }
    long keepFrom = p.mediaSequence() - KEEP_BEHIND;
    segments.headMap(keepFrom).clear();
    Set<Long> used = new HashSet<>();
    for (SegmentData s : segments.values()) {
      used.add(s.init);
    }
    if (!inits.isEmpty()) {
      used.add(inits.lastKey()); // the newest init: the next segment may use it
    }
    inits.keySet().retainAll(used);
  }

  private void publish() {
    if (playlist.version() != renderedVersion) {
      renderedVersion = playlist.version();
      current = playlist.snapshot().orElse(null);
    }
  }

  /** The current playlist; null while the window has no part yet. */
  public MediaPlaylist playlist() {
    return current;
  }

  /** The init segment with this id, or null. */
  public synchronized byte[] init(long id) {
    InitData data = inits.get(id);
    return data == null ? null : data.data();
  }

  /**
   * The chunks of complete segment {@code msn}, in order; null if it is not (or no longer) here.
   */
  public synchronized List<byte[]> segment(long msn) {
    SegmentData s = segments.get(msn);
    if (s == null || !s.complete) {
      return null;
    }
    List<byte[]> all = new ArrayList<>();
    s.parts.forEach(all::addAll);
    return all;
  }

  /** The chunks of complete part {@code index} of segment {@code msn}; null if it is not here. */
  public synchronized List<byte[]> part(long msn, int index) {
    SegmentData s = segments.get(msn);
    if (s == null || index >= s.parts.size()) {
      return null;
    }
    return s.parts.get(index);
  }

  /** The chunks of a part so far, in order, and whether the part is complete. */
  public record PartSoFar(List<byte[]> chunks, boolean complete) {}

  /**
   * Part {@code index} of segment {@code msn} as far as it has arrived: complete, or the part being
   * written (possibly no chunk yet); null if neither (not begun, gone, or the segment ended without
   * it).
   */
  public synchronized PartSoFar partSoFar(long msn, int index) {
    SegmentData s = segments.get(msn);
    if (s == null) {
      return null;
    }
    if (index < s.parts.size()) {
      return new PartSoFar(s.parts.get(index), true);
    }
    if (!s.complete && index == s.parts.size()) {
      return new PartSoFar(List.copyOf(s.openPart), false);
    }
    return null;
  }

  /**
   * Whether part {@code index} of segment {@code msn} is the one the playlist hints at (6.2.6: the
   * server holds such a request until the part is complete).
   */
  public boolean isHinted(long msn, int index) {
    MediaPlaylist p = current;
    return p != null
        && p.preloadHint() != null
        && p.preloadHint().uri().equals(HlsNames.part(msn, index));
  }

  /** Segments held in memory (for tests and metrics). */
  public synchronized int segmentsHeld() {
    return segments.size();
  }

  /** Init ids held in memory (for tests and metrics). */
  public synchronized Set<Long> initsHeld() {
    return Set.copyOf(inits.keySet());
  }

  /** Codecs of the newest init segment (RFC 6381), or null. */
  public synchronized String codecs() {
    Map.Entry<Long, InitData> last = inits.lastEntry();
    return last == null ? null : last.getValue().codecs();
  }
}
