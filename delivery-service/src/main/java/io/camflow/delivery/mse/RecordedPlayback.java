package io.camflow.delivery.mse;

import io.camflow.delivery.dvr.RecordedMedia;
import io.camflow.delivery.dvr.RecordingIndex;
import io.camflow.media.StreamKey;
import io.camflow.media.fmp4.FragmentReader;
import io.camflow.media.fmp4.KeyframesOnly;
import io.camflow.media.fmp4.ProgressiveMovie;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * One MSE viewer's reader of a stream's recording (docs/mse.md, "Recordings"): from an instant, the
 * recorded CMAF segments one after another, each with its init segment when that changes and where
 * it sits in media time, so the client can map its player's clock to the wall clock. Index entries
 * are read a couple of minutes ahead; segments come from {@link RecordedMedia}, which reads on
 * without a seek when the segment follows the last one it read. Blocking: called on the DVR
 * executor, one step at a time, never on an event loop.
 */
final class RecordedPlayback {

  /** How much of the index is read at once ahead of the segment being played. */
  static final Duration INDEX_AHEAD = Duration.ofMinutes(2);

  /** What one step gives the viewer. */
  sealed interface Step {}

  /**
   * A segment to send.
   *
   * @param init the init segment it needs, when not the one sent before; null otherwise
   * @param entry its index entry (capture time of its first frame, duration)
   * @param time where it starts in media time, seconds (its first video sample's decode time)
   * @param data its fragments (moof+mdat), reduced to keyframes above 4×
   * @param retentionTook the position asked for was deleted by retention: this is the oldest kept
   */
  record Segment(MseInit init, IndexEntry entry, double time, byte[] data, boolean retentionTook)
      implements Step {}

  /** Nothing is recorded from the instant asked for on. */
  record NotRecorded() implements Step {}

  /** The newest recorded segment was the last one given: ask again later. */
  record Edge() implements Step {}

  private final RecordingIndex index;
  private final RecordedMedia media;
  private final StreamKey key;
  private final ArrayDeque<IndexEntry> upcoming = new ArrayDeque<>();
  private IndexEntry last;
  private long initId = Long.MIN_VALUE;
  private int videoTrack = -1;
  private int videoTimescale = 90_000;

  RecordedPlayback(RecordingIndex index, RecordedMedia media, StreamKey key) {
    this.index = index;
    this.media = media;
    this.key = key;
  }

  StreamKey key() {
    return key;
  }

  /**
   * The segment holding {@code at} (or the first after it, when the camera was away then), with its
   * init segment whatever was sent before.
   *
   * @throws IllegalStateException when the recording cannot be read now (the broker)
   */
  Step seek(Instant at, boolean keyframesOnly) {
    upcoming.clear();
    last = null;
    initId = Long.MIN_VALUE;
    Optional<IndexEntry> entry = index.at(key, at);
    if (entry.isEmpty()) {
      return new NotRecorded();
    }
    return read(entry.get(), keyframesOnly, false);
  }

  /** The segment after the last one given, or {@link Edge} when there is none yet. */
  Step next(boolean keyframesOnly) {
    if (last == null) {
      throw new IllegalStateException("no seek yet");
    }
    boolean refilled = upcoming.isEmpty();
    IndexEntry after = last;
    if (refilled) {
      index.read(
          key,
          Instant.ofEpochMilli(after.startMillis() + 1),
          Instant.ofEpochMilli(after.endMillis()).plus(INDEX_AHEAD),
          e -> {
            if (e.startMillis() > after.startMillis()) {
              upcoming.add(e);
            }
          });
    }
    IndexEntry e = upcoming.poll();
    if (e == null) {
      return new Edge();
    }
    // the index skips what retention took: a jump to the oldest kept segment is said as such
    boolean retentionTook =
        refilled
            && e.startMillis() - after.endMillis() > GAP.toMillis()
            && index
                .bounds(key)
                .map(b -> b.oldest().startMillis() >= e.startMillis())
                .orElse(false);
    return read(e, keyframesOnly, retentionTook);
  }

  /** A jump in the recording longer than this is a gap (docs/api.md, spans). */
  private static final Duration GAP = Duration.ofSeconds(1);

  private Step read(IndexEntry e, boolean keyframesOnly, boolean retentionTook) {
    MseInit init = null;
    if (e.init() != initId) {
      Optional<CmafRecord.Init> found = media.init(key, e.init(), e.startMillis());
      if (found.isEmpty()) {
        return oldest(keyframesOnly, e);
      }
      CmafRecord.Init i = found.get();
      ProgressiveMovie.Builder tracks = ProgressiveMovie.builder(i.data());
      videoTrack = tracks.trackIds().stream().filter(tracks::isVideo).findFirst().orElse(-1);
      videoTimescale = videoTrack < 0 ? 90_000 : tracks.timescale(videoTrack);
      init = MseInit.of(i.init(), i.codecs(), i.data());
    }
    Optional<byte[]> segment = media.segment(key, e.msn(), e.startMillis());
    if (segment.isEmpty()) {
      return oldest(keyframesOnly, e);
    }
    byte[] data = segment.get();
    double time = Double.NaN;
    for (FragmentReader.SampleRef s : FragmentReader.read(data)) {
      if (s.trackId() == videoTrack || videoTrack < 0) {
        time = (double) s.decodeTime() / videoTimescale;
        break;
      }
    }
    if (keyframesOnly && videoTrack >= 0) {
      data = KeyframesOnly.of(data, videoTrack);
    }
    initId = e.init();
    last = e;
    return new Segment(init, e, time, data, retentionTook);
  }

  /**
   * Where playback goes when retention took the segment to play: the oldest one kept, if it is
   * later than the one that is gone (else the segment was not there for another reason).
   */
  private Step oldest(boolean keyframesOnly, IndexEntry gone) {
    Optional<RecordingIndex.Bounds> bounds = index.bounds(key);
    if (bounds.isEmpty()) {
      return new NotRecorded();
    }
    IndexEntry oldest = bounds.get().oldest();
    if (oldest.startMillis() <= gone.startMillis()) {
      throw new IllegalStateException(
          "segment " + gone.msn() + " of " + key + " is listed but cannot be read");
    }
    upcoming.clear();
    initId = Long.MIN_VALUE;
    return read(oldest, keyframesOnly, true);
  }
}
