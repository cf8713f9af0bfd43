package io.camflow.media.hls;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One Media Segment of a media playlist, with its Partial Segments.
 *
 * <p>A <em>complete</em> segment has a {@code uri} and an EXTINF duration. The last segment of a
 * playlist may instead be <em>in progress</em>: {@code uri == null}, at least one part, and its
 * duration is the sum of its parts (set by the constructor, whatever was passed).
 *
 * @param msn the Media Sequence Number, 0..{@link HlsNames#MAX_NUMBER}
 * @param uri the segment URI, or null while the segment is in progress
 * @param durationSeconds the EXTINF duration of a complete segment
 * @param programDateTime wall-clock time of the segment's first sample (EXT-X-PROGRAM-DATE-TIME)
 * @param discontinuity whether an EXT-X-DISCONTINUITY precedes this segment (new source session,
 *     timestamp reset, codec change)
 * @param mapUri the EXT-X-MAP URI (init segment) in force for this segment; a change from the
 *     previous segment emits a new EXT-X-MAP line
 * @param parts the segment's parts in order; their index in this list is their Part Index. Kept
 *     even when the playlist no longer lists them, so blocking requests can still be resolved.
 */
public record SegmentRef(
    long msn,
    String uri,
    double durationSeconds,
    Instant programDateTime,
    boolean discontinuity,
    String mapUri,
    List<PartRef> parts) {

  public SegmentRef {
    if (msn < 0 || msn > HlsNames.MAX_NUMBER) {
      throw new IllegalArgumentException("media sequence number out of range: " + msn);
    }
    Objects.requireNonNull(programDateTime, "programDateTime");
    HlsFormat.requireUri("map", mapUri);
    parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
    if (parts.size() > HlsNames.MAX_PART_INDEX + 1) {
      throw new IllegalArgumentException(
          "segment "
              + msn
              + " has "
              + parts.size()
              + " parts, more than "
              + (HlsNames.MAX_PART_INDEX + 1));
    }
    if (uri == null) {
      if (parts.isEmpty()) {
        throw new IllegalArgumentException(
            "segment " + msn + " is in progress (no URI) and must have at least one part");
      }
      double sum = 0;
      for (PartRef p : parts) {
        sum += p.durationSeconds();
      }
      durationSeconds = sum;
    } else {
      HlsFormat.requireUri("segment", uri);
      HlsFormat.requireDuration("segment " + msn, durationSeconds);
    }
  }

  /** A complete segment. */
  public static SegmentRef complete(
      long msn,
      String uri,
      double durationSeconds,
      Instant programDateTime,
      boolean discontinuity,
      String mapUri,
      List<PartRef> parts) {
    return new SegmentRef(
        msn,
        Objects.requireNonNull(uri, "uri"),
        durationSeconds,
        programDateTime,
        discontinuity,
        mapUri,
        parts);
  }

  /** The segment being produced: parts only, no URI yet. */
  public static SegmentRef inProgress(
      long msn,
      Instant programDateTime,
      boolean discontinuity,
      String mapUri,
      List<PartRef> parts) {
    return new SegmentRef(msn, null, 0, programDateTime, discontinuity, mapUri, parts);
  }

  /** Whether the segment has its URI and EXTINF, i.e. is no longer in progress. */
  public boolean isComplete() {
    return uri != null;
  }
}
