package io.camflow.packager;

import io.camflow.media.hls.PartSchedule;
import java.time.Duration;

/**
 * How streams are cut. Parts: {@code partTarget} (200–1000 ms, default 333.34 ms), cut on frame
 * boundaries. Segments: {@code segmentTarget} (1–10 s, default 2 s), cut on keyframes only, so a
 * segment is the GOP when the GOP is longer. The rules are {@link PartSchedule}'s.
 */
record PackagerSettings(Duration partTarget, Duration segmentTarget) {

  static final PackagerSettings DEFAULTS =
      new PackagerSettings(PartSchedule.DEFAULT_PART_TARGET, PartSchedule.DEFAULT_SEGMENT_TARGET);

  PackagerSettings {
    new PartSchedule(partTarget, segmentTarget); // validates both, with clear messages
  }
}
