package io.camflow.delivery.dvr;

import io.camflow.media.hls.HlsNames;
import io.camflow.media.record.IndexEntry;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The HLS media playlist of a stretch of a recording (RFC 8216bis): every recorded segment that
 * overlaps it, each with its program date time, a discontinuity wherever the recording has a gap or
 * the camera reconnected, the init segment named again where it changes. A range with an end is a
 * VOD playlist; one without is an EVENT playlist that grows to the live edge as the player reloads
 * it. Segment and init URIs say where the segment starts ({@code at}, ms), so they are found by
 * time without a lookup, and carry the caller's query (a DVR stream token).
 */
public final class DvrPlaylist {

  private DvrPlaylist() {}

  /**
   * @param entries the index entries of the range, in index order (at least one)
   * @param start the instant asked for: a player that honours {@code EXT-X-START} begins there, not
   *     at the first segment's keyframe
   * @param event true: no end was asked (EVENT, no {@code EXT-X-ENDLIST})
   * @param uriQuery appended to every URI ({@code st=…}), or empty
   */
  public static String of(List<IndexEntry> entries, Instant start, boolean event, String uriQuery) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a playlist needs a segment");
    }
    String q = uriQuery.isEmpty() ? "" : "&" + uriQuery;
    long longestMicros = entries.stream().mapToLong(IndexEntry::durationMicros).max().orElse(0);
    // EVENT: the target may not change as the playlist grows, so leave room for longer GOPs
    long target = Math.max((longestMicros + 999_999) / 1_000_000, event ? 10 : 1);
    IndexEntry first = entries.get(0);
    StringBuilder b = new StringBuilder(128 + entries.size() * 160);
    b.append("#EXTM3U\n#EXT-X-VERSION:7\n");
    b.append("#EXT-X-TARGETDURATION:").append(target).append('\n');
    b.append("#EXT-X-PLAYLIST-TYPE:").append(event ? "EVENT" : "VOD").append('\n');
    b.append("#EXT-X-MEDIA-SEQUENCE:").append(first.msn()).append('\n');
    b.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    long offsetMillis = start.toEpochMilli() - first.startMillis();
    if (offsetMillis > 0) {
      b.append("#EXT-X-START:TIME-OFFSET=")
          .append(seconds(offsetMillis * 1000))
          .append(",PRECISE=YES\n");
    }
    IndexEntry previous = null;
    for (IndexEntry e : entries) {
      if (previous != null && !Span.continues(previous, e)) {
        b.append("#EXT-X-DISCONTINUITY\n");
      }
      if (previous == null || previous.init() != e.init()) {
        b.append("#EXT-X-MAP:URI=\"")
            .append(HlsNames.init(e.init()))
            .append("?at=")
            .append(e.startMillis())
            .append(q)
            .append("\"\n");
      }
      b.append("#EXT-X-PROGRAM-DATE-TIME:")
          .append(Instant.ofEpochMilli(e.startMillis()))
          .append('\n');
      b.append("#EXTINF:").append(seconds(e.durationMicros())).append(",\n");
      b.append(HlsNames.segment(e.msn())).append("?at=").append(e.startMillis()).append(q);
      b.append('\n');
      previous = e;
    }
    if (!event) {
      b.append("#EXT-X-ENDLIST\n");
    }
    return b.toString();
  }

  private static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1_000_000.0);
  }
}
