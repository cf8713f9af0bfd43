package io.camflow.media.hls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small builders for playlist tests. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-05-13T10:15:30.040Z");

  private Fixtures() {}

  static List<PartRef> parts(long msn, int count, double duration) {
    List<PartRef> parts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      parts.add(new PartRef(HlsNames.part(msn, i), duration, i == 0));
    }
    return parts;
  }

  /** A complete segment of {@code partCount} parts of {@code partDuration}, init 0. */
  static SegmentRef complete(long msn, int partCount, double partDuration) {
    return complete(msn, partCount, partDuration, false, 0);
  }

  static SegmentRef complete(
      long msn, int partCount, double partDuration, boolean discontinuity, long init) {
    return SegmentRef.complete(
        msn,
        HlsNames.segment(msn),
        partCount * partDuration,
        T0.plusMillis(msn * 2000),
        discontinuity,
        HlsNames.init(init),
        parts(msn, partCount, partDuration));
  }

  static SegmentRef inProgress(long msn, int partCount, double partDuration) {
    return inProgress(msn, partCount, partDuration, false, 0);
  }

  static SegmentRef inProgress(
      long msn, int partCount, double partDuration, boolean discontinuity, long init) {
    return SegmentRef.inProgress(
        msn,
        T0.plusMillis(msn * 2000),
        discontinuity,
        HlsNames.init(init),
        parts(msn, partCount, partDuration));
  }

  /**
   * A live playlist of complete segments {@code first..lastComplete} (2 s, four 0.5 s parts each)
   * and, if {@code openParts > 0}, segment {@code lastComplete + 1} in progress with that many
   * parts; the preload hint names the next part.
   */
  static MediaPlaylist live(long first, long lastComplete, int openParts) {
    MediaPlaylist.Builder b = MediaPlaylist.builder().partTargetSeconds(0.5);
    for (long msn = first; msn <= lastComplete; msn++) {
      b.addSegment(complete(msn, 4, 0.5));
    }
    if (openParts > 0) {
      b.addSegment(inProgress(lastComplete + 1, openParts, 0.5));
      b.preloadHint(new PreloadHint(HlsNames.part(lastComplete + 1, openParts)));
    } else {
      b.preloadHint(new PreloadHint(HlsNames.part(lastComplete + 1, 0)));
    }
    return b.build();
  }
}
