package io.camflow.delivery.dvr;

import io.camflow.media.StreamKey;
import io.camflow.media.fmp4.FragmentReader;
import io.camflow.media.fmp4.ProgressiveMovie;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stretch of a recording as one progressive MP4 ({@code clip.mp4}, docs/dvr.md "Export"). Planned
 * once: the index gives the segments, each segment's fragments give its samples' sizes and
 * durations, and from those alone the movie's header (moov first) and length; the sample bytes are
 * read again, segment by segment, only as they are sent ({@link #piece}), so a clip of any length
 * streams with one segment in memory and any byte range is made from the segments it covers.
 *
 * <p>The clip starts at the asked instant exactly: it holds the frames from the keyframe before it,
 * and its edit list starts presentation at the instant. It ends after the last frame that starts
 * before the asked end. A gap in the recording is held by the frame before it, so the clip's clock
 * stays the wall clock; a new init segment (the camera's codec configuration changed) ends the clip
 * there ({@link #end()} says where).
 */
public final class Clip {

  /** Longest stretch one clip may cover. */
  public static final Duration MAX_RANGE = Duration.ofHours(1);

  /**
   * The sample data of one segment in the clip.
   *
   * @param offset where it starts in the file
   */
  public record Piece(long msn, long startMillis, long offset, long length) {
    long endOffset() {
      return offset + length;
    }
  }

  private final StreamKey key;
  private final ProgressiveMovie movie;
  private final List<Piece> pieces;
  private final Instant start;
  private final Instant end;
  private final long keepBeforeMillis;
  private final int videoTrack;
  private final Map<Integer, Integer> timescales;

  private Clip(
      StreamKey key,
      ProgressiveMovie movie,
      List<Piece> pieces,
      Instant start,
      Instant end,
      long keepBeforeMillis,
      int videoTrack,
      Map<Integer, Integer> timescales) {
    this.key = key;
    this.movie = movie;
    this.pieces = List.copyOf(pieces);
    this.start = start;
    this.end = end;
    this.keepBeforeMillis = keepBeforeMillis;
    this.videoTrack = videoTrack;
    this.timescales = Map.copyOf(timescales);
  }

  /**
   * Plans the clip of {@code key} over {@code [from, to)}: empty when nothing of it is recorded
   * there.
   *
   * @throws IllegalStateException when the recording cannot be read (the broker, a segment too
   *     large) or changed under the plan (retention took a segment)
   */
  public static Optional<Clip> plan(
      RecordingIndex index, RecordedMedia media, StreamKey key, Instant from, Instant to) {
    List<IndexEntry> entries = new ArrayList<>();
    index.read(key, from, to, entries::add);
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    IndexEntry first = entries.get(0);
    CmafRecord.Init init =
        media
            .init(key, first.init(), first.startMillis())
            .orElseThrow(
                () -> new IllegalStateException("the init segment of " + key + " is not kept"));
    ProgressiveMovie.Builder movie = ProgressiveMovie.builder(init.data());
    int video = movie.trackIds().stream().filter(movie::isVideo).findFirst().orElse(-1);
    Map<Integer, Integer> timescales = new HashMap<>();
    movie.trackIds().forEach(id -> timescales.put(id, movie.timescale(id)));
    long startMillis = Math.max(from.toEpochMilli(), first.startMillis());
    long endMillis = to.toEpochMilli();
    Planner p = new Planner(movie, video, timescales, endMillis);
    IndexEntry previous = null;
    for (IndexEntry e : entries) {
      if (e.init() != first.init()) {
        endMillis = Math.min(endMillis, e.startMillis());
        break; // a new codec configuration: another clip
      }
      if (previous != null) {
        p.holdOver(e.startMillis() - previous.endMillis());
      }
      Optional<byte[]> segment = media.segment(key, e.msn(), e.startMillis());
      if (segment.isEmpty()) {
        if (previous == null) {
          return Optional.empty(); // retention took it just now
        }
        endMillis = Math.min(endMillis, previous.endMillis());
        break;
      }
      p.add(e, segment.get());
      previous = e;
    }
    long shownUntil = Math.min(endMillis, previous == null ? endMillis : previous.endMillis());
    p.edits(first.startMillis(), startMillis, shownUntil);
    movie.createdAt(Instant.ofEpochMilli(startMillis));
    ProgressiveMovie built = movie.build();
    List<Piece> pieces = p.pieces(built.headerLength());
    return Optional.of(
        new Clip(
            key,
            built,
            pieces,
            Instant.ofEpochMilli(startMillis),
            Instant.ofEpochMilli(shownUntil),
            p.keepBeforeMillis,
            video,
            timescales));
  }

  public StreamKey key() {
    return key;
  }

  /** The file's length. */
  public long length() {
    return movie.length();
  }

  /** The first instant shown. */
  public Instant start() {
    return start;
  }

  /** Just after the last instant shown: the asked end, or earlier where the recording changed. */
  public Instant end() {
    return end;
  }

  /** ftyp, moov and the mdat header. */
  public int headerLength() {
    return movie.headerLength();
  }

  /** Header bytes {@code [from, from + length)}. */
  public byte[] header(int from, int length) {
    byte[] out = new byte[length];
    movie.copyHeader(from, out, 0, length);
    return out;
  }

  public List<Piece> pieces() {
    return pieces;
  }

  /**
   * The sample bytes of {@code piece}, read from the recording again.
   *
   * @throws IllegalStateException when the segment is gone (retention) or no longer what the plan
   *     saw
   */
  public byte[] piece(RecordedMedia media, Piece piece) {
    byte[] segment =
        media
            .segment(key, piece.msn(), piece.startMillis())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "segment " + piece.msn() + " of " + key + " is no longer recorded"));
    byte[] out = new byte[Math.toIntExact(piece.length())];
    int at = 0;
    for (FragmentReader.SampleRef s :
        kept(segment, piece.startMillis(), videoTrack, timescales, keepBeforeMillis)) {
      if (at + s.size() > out.length) {
        throw new IllegalStateException("segment " + piece.msn() + " of " + key + " changed");
      }
      System.arraycopy(segment, s.dataOffset(), out, at, s.size());
      at += s.size();
    }
    if (at != out.length) {
      throw new IllegalStateException("segment " + piece.msn() + " of " + key + " changed");
    }
    return out;
  }

  /**
   * The samples of a segment that go into the clip, in their order: those whose decode time is
   * before {@code keepBeforeMillis} (wall clock, from the segment's start and its first video
   * sample's decode time). The same rule for the plan and the bytes, so both agree.
   */
  static List<FragmentReader.SampleRef> kept(
      byte[] segment,
      long segmentStartMillis,
      int videoTrack,
      Map<Integer, Integer> timescales,
      long keepBeforeMillis) {
    List<FragmentReader.SampleRef> samples = FragmentReader.read(segment);
    double base = Double.NaN;
    for (FragmentReader.SampleRef s : samples) {
      if (s.trackId() == videoTrack || videoTrack < 0) {
        base = seconds(s, timescales);
        break;
      }
    }
    if (Double.isNaN(base)) {
      base = samples.isEmpty() ? 0 : seconds(samples.get(0), timescales);
    }
    List<FragmentReader.SampleRef> kept = new ArrayList<>(samples.size());
    for (FragmentReader.SampleRef s : samples) {
      Integer ts = timescales.get(s.trackId());
      if (ts == null) {
        throw new IllegalStateException("a sample of track " + s.trackId() + " not in the init");
      }
      double wall = segmentStartMillis + (seconds(s, timescales) - base) * 1000;
      if (wall < keepBeforeMillis) {
        kept.add(s);
      }
    }
    return kept;
  }

  private static double seconds(FragmentReader.SampleRef s, Map<Integer, Integer> timescales) {
    Integer ts = timescales.get(s.trackId());
    return ts == null ? 0 : (double) s.decodeTime() / ts;
  }

  /** Adds segments to the movie and remembers where each one's samples go. */
  private static final class Planner {
    /** The shortest hole between two segments that the picture is held over. */
    static final Duration HELD_GAP = Duration.ofMillis(100);

    private final ProgressiveMovie.Builder movie;
    private final int video;
    private final Map<Integer, Integer> timescales;
    final long keepBeforeMillis;
    private final List<long[]> pieces = new ArrayList<>(); // msn, startMillis, length
    private final Map<Integer, Double> firstSeconds = new HashMap<>();
    private double firstVideoSeconds = Double.NaN;
    private double firstVideoOffsetSeconds;

    Planner(
        ProgressiveMovie.Builder movie,
        int video,
        Map<Integer, Integer> timescales,
        long keepBeforeMillis) {
      this.movie = movie;
      this.video = video;
      this.timescales = timescales;
      this.keepBeforeMillis = keepBeforeMillis;
    }

    void add(IndexEntry e, byte[] segment) {
      long length = 0;
      for (FragmentReader.SampleRef s :
          kept(segment, e.startMillis(), video, timescales, keepBeforeMillis)) {
        if (s.trackId() == video && Double.isNaN(firstVideoSeconds)) {
          firstVideoSeconds = seconds(s, timescales);
          firstVideoOffsetSeconds = (double) s.compositionOffset() / timescales.get(video);
        }
        firstSeconds.putIfAbsent(s.trackId(), seconds(s, timescales));
        movie.add(s.trackId(), s.duration(), s.size(), s.sync(), s.compositionOffset());
        length += s.size();
      }
      pieces.add(new long[] {e.msn(), e.startMillis(), length});
    }

    /**
     * A gap of {@code millis} before the next segment: every track's last sample holds it, so that
     * the clip's clock stays the wall clock across an outage or a camera's stall. Under {@link
     * #HELD_GAP} it is the capture clock's drift from media time, and nothing is held.
     */
    void holdOver(long millis) {
      if (millis < HELD_GAP.toMillis()) {
        return;
      }
      for (int id : movie.trackIds()) {
        if (movie.sampleCount(id) > 0) {
          movie.extendLast(id, millis * timescales.get(id) / 1000);
        }
      }
    }

    /**
     * One edit per track: presentation from {@code startMillis} (the first segment starts at {@code
     * firstMillis}) to {@code endMillis}.
     */
    void edits(long firstMillis, long startMillis, long endMillis) {
      double skip = (startMillis - firstMillis) / 1000.0;
      long shown = Math.max(0, endMillis - startMillis);
      double videoStart = Double.isNaN(firstVideoSeconds) ? 0 : firstVideoSeconds;
      for (int id : movie.trackIds()) {
        if (movie.sampleCount(id) == 0) {
          continue;
        }
        int ts = timescales.get(id);
        double trackSkip = skip - (firstSeconds.get(id) - videoStart);
        if (id == video) {
          trackSkip += firstVideoOffsetSeconds;
        }
        movie.edit(id, Math.max(0, Math.round(trackSkip * ts)), shown);
      }
    }

    List<Piece> pieces(long dataStart) {
      List<Piece> out = new ArrayList<>(pieces.size());
      long at = dataStart;
      for (long[] p : pieces) {
        out.add(new Piece(p[0], p[1], at, p[2]));
        at += p[2];
      }
      return out;
    }
  }
}
