package io.camflow.media.hls;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable LL-HLS media playlist (draft-pantos-hls-rfc8216bis) for one fMP4 stream, and its
 * exact text ({@link #render()}).
 *
 * <p>The same text plays in players without LL-HLS support: every complete segment has its
 * EXT-X-PROGRAM-DATE-TIME, EXTINF and URI line; the LL-HLS tags (EXT-X-SERVER-CONTROL,
 * EXT-X-PART-INF, EXT-X-PART, EXT-X-PRELOAD-HINT) are ones older clients ignore (RFC 8216bis
 * 6.3.1).
 *
 * <p>Rendered shape ({@code ...} marks repetition):
 *
 * <pre>
 * #EXTM3U
 * #EXT-X-VERSION:6
 * #EXT-X-INDEPENDENT-SEGMENTS
 * #EXT-X-TARGETDURATION:2
 * #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.00002,HOLD-BACK=6.00000
 * #EXT-X-PART-INF:PART-TARGET=0.33334
 * #EXT-X-MEDIA-SEQUENCE:120
 * #EXT-X-DISCONTINUITY-SEQUENCE:1          (only when non-zero or a discontinuity is listed)
 * #EXT-X-DISCONTINUITY                     (segments that start a new source session)
 * #EXT-X-MAP:URI="init-3.mp4"              (first segment, and whenever the init changes)
 * #EXT-X-PROGRAM-DATE-TIME:2026-05-13T10:15:30.040Z
 * #EXT-X-PART:DURATION=0.32000,URI="part-120.0.m4s",INDEPENDENT=YES   (recent segments only)
 * ...
 * #EXTINF:2.00000,
 * seg-120.m4s
 * ...
 * #EXT-X-PART:DURATION=0.32000,URI="part-123.1.m4s"      (the segment in progress: parts only)
 * #EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-123.2.m4s"
 * </pre>
 *
 * <p>Parts are listed only for segments that start within three target durations of the end of the
 * playlist (6.2.2: EXT-X-PART tags SHOULD be removed after they are more than three Target
 * Durations from the end). A segment's parts are listed all or none, because clients (hls.js)
 * number parts by their position after the previous segment's URI.
 *
 * <p>Use {@link #builder()}: it derives TARGETDURATION from the segments, raises PART-TARGET if a
 * listed part is longer than asked (a single frame can outlast the part target), and defaults the
 * hold-backs to three times the targets. The canonical constructor validates every RFC rule this
 * class relies on and throws {@link IllegalArgumentException} naming the broken rule.
 *
 * @param targetDurationSeconds EXT-X-TARGETDURATION; each EXTINF rounded to the nearest integer is
 *     at most this (4.4.3.1)
 * @param partTargetSeconds PART-TARGET; each listed part's duration is at most this (4.4.4.9)
 * @param partHoldBackSeconds PART-HOLD-BACK; at least twice PART-TARGET (4.4.3.8)
 * @param holdBackSeconds HOLD-BACK; at least three times the target duration (4.4.3.8)
 * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE (4.4.3.3)
 * @param segments consecutive Media Sequence Numbers; only the last may be in progress
 * @param preloadHint the next part, or null (required null when {@code ended})
 * @param ended whether EXT-X-ENDLIST closes the playlist (the stream is over)
 */
public record MediaPlaylist(
    int targetDurationSeconds,
    double partTargetSeconds,
    double partHoldBackSeconds,
    double holdBackSeconds,
    long discontinuitySequence,
    List<SegmentRef> segments,
    PreloadHint preloadHint,
    boolean ended) {

  /**
   * EXT-X-VERSION. Section 8: EXT-X-MAP without EXT-X-I-FRAMES-ONLY needs 6; nothing we write needs
   * more (EXT-X-SKIP would need 9, we offer no delta updates), and 6.2.1 says the version SHOULD
   * NOT be greater than required.
   */
  public static final int VERSION = 6;

  /** The default part target, as in the RFC's own low-latency example: 0.33334 s. */
  public static final double DEFAULT_PART_TARGET_SECONDS = 0.33334;

  /** RFC 8216bis 6.2.2: EXT-X-PART tags are kept for this many target durations from the end. */
  public static final int PART_WINDOW_TARGET_DURATIONS = 3;

  public MediaPlaylist {
    Objects.requireNonNull(segments, "segments");
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a media playlist needs at least one segment or part");
    }
    if (targetDurationSeconds < 1) {
      throw new IllegalArgumentException(
          "4.4.3.1: EXT-X-TARGETDURATION must be at least 1, was " + targetDurationSeconds);
    }
    if (!(partTargetSeconds > 0) || Double.isInfinite(partTargetSeconds)) {
      throw new IllegalArgumentException("PART-TARGET must be positive, was " + partTargetSeconds);
    }
    if (!(partHoldBackSeconds >= 2 * partTargetSeconds - HlsFormat.EPSILON)) {
      throw new IllegalArgumentException(
          "4.4.3.8: PART-HOLD-BACK ("
              + partHoldBackSeconds
              + ") must be at least twice PART-TARGET ("
              + partTargetSeconds
              + ")");
    }
    if (!(holdBackSeconds >= 3.0 * targetDurationSeconds - HlsFormat.EPSILON)) {
      throw new IllegalArgumentException(
          "4.4.3.8: HOLD-BACK ("
              + holdBackSeconds
              + ") must be at least three times the target duration ("
              + targetDurationSeconds
              + ")");
    }
    if (discontinuitySequence < 0) {
      throw new IllegalArgumentException(
          "discontinuity sequence must not be negative, was " + discontinuitySequence);
    }
    long first = segments.get(0).msn();
    for (int i = 0; i < segments.size(); i++) {
      SegmentRef s = segments.get(i);
      if (s.msn() != first + i) {
        throw new IllegalArgumentException(
            "segments must have consecutive media sequence numbers: "
                + "expected "
                + (first + i)
                + " at position "
                + i
                + ", found "
                + s.msn());
      }
      if (!s.isComplete() && i != segments.size() - 1) {
        throw new IllegalArgumentException(
            "only the last segment may be in progress; segment " + s.msn() + " has no URI");
      }
      if (s.isComplete()
          && HlsFormat.roundedWholeSeconds(s.durationSeconds()) > targetDurationSeconds) {
        throw new IllegalArgumentException(
            "4.4.3.1: segment "
                + s.msn()
                + " lasts "
                + s.durationSeconds()
                + " s, more than the target duration "
                + targetDurationSeconds
                + " s when rounded");
      }
    }
    if (ended && !segments.get(segments.size() - 1).isComplete()) {
      throw new IllegalArgumentException("an ended playlist cannot have a segment in progress");
    }
    if (ended && preloadHint != null) {
      throw new IllegalArgumentException(
          "4.4.5.3: a playlist with EXT-X-ENDLIST must not contain EXT-X-PRELOAD-HINT");
    }
    long partTargetUnits = HlsFormat.unitsCeil(partTargetSeconds);
    int firstWithParts = firstSegmentWithListedParts(segments, targetDurationSeconds);
    for (int i = firstWithParts; i < segments.size(); i++) {
      for (PartRef p : segments.get(i).parts()) {
        if (HlsFormat.units(p.durationSeconds()) > partTargetUnits) {
          throw new IllegalArgumentException(
              "4.4.4.9: part "
                  + p.uri()
                  + " lasts "
                  + p.durationSeconds()
                  + " s, more than PART-TARGET "
                  + partTargetSeconds
                  + " s");
        }
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** EXT-X-MEDIA-SEQUENCE: the Media Sequence Number of the first segment. */
  public long mediaSequence() {
    return segments.get(0).msn();
  }

  /**
   * The Media Sequence Number of the last complete Media Segment (the last one with a URI line),
   * which is what 6.2.5.2 counts from; {@code mediaSequence() - 1} if no segment is complete yet.
   */
  public long lastMsn() {
    SegmentRef last = segments.get(segments.size() - 1);
    return last.isComplete() ? last.msn() : last.msn() - 1;
  }

  /** The Part Index of the last part of the segment in progress, -1 if there is none. */
  public int lastPartIndex() {
    return inProgress().map(s -> s.parts().size() - 1).orElse(-1);
  }

  /** The segment in progress (parts only, no URI yet), if any. */
  public Optional<SegmentRef> inProgress() {
    SegmentRef last = segments.get(segments.size() - 1);
    return last.isComplete() ? Optional.empty() : Optional.of(last);
  }

  /** The segment with this Media Sequence Number, if the playlist holds it. */
  public Optional<SegmentRef> segment(long msn) {
    long i = msn - mediaSequence();
    return i >= 0 && i < segments.size() ? Optional.of(segments.get((int) i)) : Optional.empty();
  }

  /**
   * 6.2.5.2: "The Advance Part Limit is three divided by the Part Target Duration if the Part
   * Target Duration is less than one second, or three otherwise", as a whole number of parts.
   */
  public int advancePartLimit() {
    if (partTargetSeconds >= 1.0) {
      return 3;
    }
    return (int) Math.floor(3.0 / partTargetSeconds + HlsFormat.EPSILON);
  }

  /** The duration from the first segment's start to the end of the last part or segment. */
  public double durationSeconds() {
    double sum = 0;
    for (SegmentRef s : segments) {
      sum += s.durationSeconds();
    }
    return sum;
  }

  /** The playlist text, lines ending in LF. */
  public String render() {
    return render("");
  }

  /**
   * The playlist text with {@code ?uriQuery} appended to every URI it lists (map, parts, segments,
   * preload hint): how a server hands out per-resource credentials, e.g. a signed token. The query
   * must be URI-safe and contain no quote; empty for none.
   *
   * @throws IllegalArgumentException if the query holds a character not allowed in a URI query
   */
  public String render(String uriQuery) {
    String q = suffix(uriQuery);
    StringBuilder out = new StringBuilder(256 + segments.size() * 160);
    out.append("#EXTM3U\n");
    out.append("#EXT-X-VERSION:").append(VERSION).append('\n');
    out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    out.append("#EXT-X-TARGETDURATION:").append(targetDurationSeconds).append('\n');
    out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=");
    HlsFormat.appendUnits(out, HlsFormat.unitsCeil(partHoldBackSeconds)).append(",HOLD-BACK=");
    HlsFormat.appendUnits(out, HlsFormat.unitsCeil(holdBackSeconds)).append('\n');
    out.append("#EXT-X-PART-INF:PART-TARGET=");
    HlsFormat.appendUnits(out, HlsFormat.unitsCeil(partTargetSeconds)).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence()).append('\n');
    boolean anyDiscontinuity = false;
    for (SegmentRef s : segments) {
      anyDiscontinuity |= s.discontinuity();
    }
    if (discontinuitySequence > 0 || anyDiscontinuity) {
      // 6.2.2: a playlist that removes segments while it holds EXT-X-DISCONTINUITY tags MUST
      // carry the tag; writing it whenever a discontinuity is listed keeps that true.
      out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
    }
    int firstWithParts = firstSegmentWithListedParts(segments, targetDurationSeconds);
    String map = null;
    for (int i = 0; i < segments.size(); i++) {
      SegmentRef s = segments.get(i);
      // 4.4.4.9: DISCONTINUITY, MAP and PROGRAM-DATE-TIME apply to the first part as well, so
      // they MUST appear before the segment's first EXT-X-PART.
      if (s.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      if (!s.mapUri().equals(map)) {
        map = s.mapUri();
        out.append("#EXT-X-MAP:URI=\"").append(map).append(q).append("\"\n");
      }
      out.append("#EXT-X-PROGRAM-DATE-TIME:")
          .append(HlsFormat.programDateTime(s.programDateTime()))
          .append('\n');
      if (i >= firstWithParts) {
        for (PartRef p : s.parts()) {
          out.append("#EXT-X-PART:DURATION=");
          HlsFormat.appendUnits(out, HlsFormat.units(p.durationSeconds()))
              .append(",URI=\"")
              .append(p.uri())
              .append(q)
              .append('"');
          if (p.independent()) {
            out.append(",INDEPENDENT=YES");
          }
          out.append('\n');
        }
      }
      if (s.isComplete()) {
        out.append("#EXTINF:");
        HlsFormat.appendUnits(out, HlsFormat.units(s.durationSeconds())).append(",\n");
        out.append(s.uri()).append(q).append('\n');
      }
    }
    if (preloadHint != null) {
      out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"")
          .append(preloadHint.uri())
          .append(q)
          .append("\"\n");
    }
    if (ended) {
      out.append("#EXT-X-ENDLIST\n");
    }
    return out.toString();
  }

  /** Position of the last part in the playlist as {msn, index}, or null if no segment has parts. */
  long[] lastPartPosition() {
    for (int i = segments.size() - 1; i >= 0; i--) {
      SegmentRef s = segments.get(i);
      if (!s.parts().isEmpty()) {
        return new long[] {s.msn(), s.parts().size() - 1};
      }
    }
    return null;
  }

  /**
   * Index of the first segment whose parts are listed: the oldest segment that starts within {@link
   * #PART_WINDOW_TARGET_DURATIONS} target durations of the end of the playlist.
   */
  static int firstSegmentWithListedParts(List<SegmentRef> segments, int targetDurationSeconds) {
    double window = (double) PART_WINDOW_TARGET_DURATIONS * targetDurationSeconds;
    double fromEnd = 0;
    int first = segments.size();
    for (int i = segments.size() - 1; i >= 0; i--) {
      fromEnd += segments.get(i).durationSeconds();
      if (fromEnd > window + HlsFormat.EPSILON) {
        break;
      }
      first = i;
    }
    // the segment in progress always keeps its parts: they are the live edge
    return Math.min(first, segments.size() - 1);
  }

  /** Builds a {@link MediaPlaylist}, deriving what the RFC lets us derive. */
  public static final class Builder {

    private int minTargetDurationSeconds = 1;
    private double partTargetSeconds = DEFAULT_PART_TARGET_SECONDS;
    private Double partHoldBackSeconds;
    private Double holdBackSeconds;
    private long discontinuitySequence;
    private final List<SegmentRef> segments = new ArrayList<>();
    private PreloadHint preloadHint;
    private boolean ended;

    private Builder() {}

    /**
     * A floor for EXT-X-TARGETDURATION (default 1). The playlist uses the larger of this and the
     * longest complete segment rounded to the nearest second (4.4.3.1). Pass the largest value the
     * stream has used so far so that the tag does not change between reloads (6.2.1).
     */
    public Builder targetDurationSeconds(int minimum) {
      if (minimum < 1) {
        throw new IllegalArgumentException("target duration must be at least 1 s, was " + minimum);
      }
      this.minTargetDurationSeconds = minimum;
      return this;
    }

    /**
     * The part target (default {@value #DEFAULT_PART_TARGET_SECONDS} s). If a listed part is longer
     * (a frame longer than the part target cannot be split), PART-TARGET is raised to it.
     */
    public Builder partTargetSeconds(double seconds) {
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw new IllegalArgumentException("part target must be positive, was " + seconds);
      }
      this.partTargetSeconds = seconds;
      return this;
    }

    /** PART-HOLD-BACK; default three times PART-TARGET; at least twice PART-TARGET (4.4.3.8). */
    public Builder partHoldBackSeconds(double seconds) {
      this.partHoldBackSeconds = seconds;
      return this;
    }

    /** HOLD-BACK; default three times the target duration, which is also its minimum (4.4.3.8). */
    public Builder holdBackSeconds(double seconds) {
      this.holdBackSeconds = seconds;
      return this;
    }

    public Builder discontinuitySequence(long value) {
      this.discontinuitySequence = value;
      return this;
    }

    public Builder segments(List<SegmentRef> segments) {
      this.segments.clear();
      this.segments.addAll(segments);
      return this;
    }

    public Builder addSegment(SegmentRef segment) {
      this.segments.add(Objects.requireNonNull(segment, "segment"));
      return this;
    }

    public Builder preloadHint(PreloadHint hint) {
      this.preloadHint = hint;
      return this;
    }

    public Builder ended(boolean ended) {
      this.ended = ended;
      return this;
    }

    public MediaPlaylist build() {
      int target = minTargetDurationSeconds;
      for (SegmentRef s : segments) {
        if (s.isComplete()) {
          target = (int) Math.max(target, HlsFormat.roundedWholeSeconds(s.durationSeconds()));
        }
      }
      long partUnits = HlsFormat.unitsCeil(partTargetSeconds);
      if (!segments.isEmpty()) {
        int firstWithParts = firstSegmentWithListedParts(segments, target);
        for (int i = firstWithParts; i < segments.size(); i++) {
          for (PartRef p : segments.get(i).parts()) {
            partUnits = Math.max(partUnits, HlsFormat.units(p.durationSeconds()));
          }
        }
      }
      double partTarget = (double) partUnits / HlsFormat.UNITS_PER_SECOND;
      double partHoldBack = partHoldBackSeconds != null ? partHoldBackSeconds : 3 * partTarget;
      double holdBack = holdBackSeconds != null ? holdBackSeconds : 3.0 * target;
      return new MediaPlaylist(
          target,
          partTarget,
          partHoldBack,
          holdBack,
          discontinuitySequence,
          segments,
          preloadHint,
          ended);
    }
  }

  /** {@code ?query}, or empty; only RFC 3986 query characters (no quote, space or '#'). */
  private static String suffix(String uriQuery) {
    if (uriQuery == null || uriQuery.isEmpty()) {
      return "";
    }
    for (int i = 0; i < uriQuery.length(); i++) {
      char c = uriQuery.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$&'()*+,;=:@/?%".indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException("not a URI query character at " + i);
      }
    }
    return "?" + uriQuery;
  }
}
