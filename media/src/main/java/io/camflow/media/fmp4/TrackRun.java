package io.camflow.media.fmp4;

import java.util.List;
import java.util.Objects;

/**
 * The samples of one track in one fragment: a {@code traf} with its {@code tfdt} and {@code trun}.
 *
 * @param trackId the {@link TrackFormat#trackId()} of the init segment
 * @param baseMediaDecodeTime dts of the first sample, in the track's timescale; {@code >= 0}
 * @param samples in decode order; at least one
 */
public record TrackRun(int trackId, long baseMediaDecodeTime, List<Sample> samples) {

  public TrackRun {
    samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
    if (trackId < 1) {
      throw new IllegalArgumentException("track id must be >= 1, was " + trackId);
    }
    if (baseMediaDecodeTime < 0) {
      throw new IllegalArgumentException(
          "baseMediaDecodeTime must be >= 0, was "
              + baseMediaDecodeTime
              + " (shift the stream's timestamps to start at or after 0)");
    }
    if (samples.isEmpty()) {
      throw new IllegalArgumentException(
          "a track run needs at least one sample (track " + trackId + ")");
    }
  }

  /** Sum of the sample durations: the next run's baseMediaDecodeTime minus this one's. */
  public long duration() {
    long sum = 0;
    for (Sample sample : samples) {
      sum += sample.duration();
    }
    return sum;
  }

  /** Bytes of sample data this run puts into the mdat. */
  public long dataSize() {
    long sum = 0;
    for (Sample sample : samples) {
      sum += sample.data().length;
    }
    return sum;
  }
}
