package io.camflow.delivery.dvr;

import io.camflow.media.StreamKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Plans clips and keeps the last few: a player that downloads a clip in ranges (or seeks in it)
 * asks for the same clip again and again, and only the first request reads the whole stretch to
 * plan it. A plan is kept for {@link #KEEP}, while its segments are surely still recorded.
 */
public final class ClipPlans {

  static final int CAPACITY = 8;
  static final Duration KEEP = Duration.ofMinutes(10);

  private record Name(StreamKey key, Instant from, Instant to) {}

  private record Kept(Clip clip, Instant until) {}

  private final RecordingIndex index;
  private final RecordedMedia media;
  private final Clock clock;
  private final Map<Name, Kept> kept =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Name, Kept> eldest) {
          return size() > CAPACITY;
        }
      };

  public ClipPlans(RecordingIndex index, RecordedMedia media, Clock clock) {
    this.index = index;
    this.media = media;
    this.clock = clock;
  }

  /** The clip of {@code key} over {@code [from, to)}; empty when nothing of it is recorded. */
  public Optional<Clip> plan(StreamKey key, Instant from, Instant to) {
    Name name = new Name(key, from, to);
    Instant now = clock.instant();
    synchronized (kept) {
      Kept k = kept.get(name);
      if (k != null && now.isBefore(k.until())) {
        return Optional.of(k.clip());
      }
    }
    Optional<Clip> clip = Clip.plan(index, media, key, from, to);
    // a clip that reaches the live edge grows: planned again next time
    if (clip.isPresent() && !clip.get().end().isBefore(to)) {
      synchronized (kept) {
        kept.put(name, new Kept(clip.get(), now.plus(KEEP)));
      }
    }
    return clip;
  }

  /** The sample bytes of a piece of a clip planned here. */
  public byte[] piece(Clip clip, Clip.Piece piece) {
    return clip.piece(media, piece);
  }
}
