package io.camflow.packager.audio;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The AAC that one stream's G.711 becomes in this packager. A {@link G711ToAac} is opened with the
 * first G.711 frame, started anew for a new camera session or after FFmpeg failed, and closed once
 * the stream has sent no G.711 for {@link #IDLE}: the packager gets a stream's frames only while
 * ingest pulls it, so an on-demand stream is transcoded while somebody watches it, a stream in mode
 * {@code always} all the time. Thread-safe: the packager's consumer thread transcodes, its sweeper
 * closes idle transcoders.
 */
public final class G711Transcoding implements AutoCloseable {

  /**
   * Longer than any pause of a pulled stream; an on-demand stream nobody watches stops for good.
   */
  public static final Duration IDLE = Duration.ofSeconds(30);

  /**
   * Frames of history a resumed encoder is given: it looks two ahead, and a little more settles it.
   */
  static final int HISTORY_FRAMES = 4;

  /** How far back a take-over looks for that history (video records lie between the audio ones). */
  static final int HISTORY_RECORDS = 64;

  private final Supplier<G711ToAac> opener;
  private G711ToAac transcoder;
  private long lastUseNanos;
  private long resumePts = Long.MIN_VALUE;
  private LongFunction<AccessUnit> mediaAt;
  private List<AccessUnit> pending = List.of();

  public G711Transcoding() {
    this(G711ToAac::new);
  }

  /** With transcoders from {@code opener} (tests hand in one that fails). */
  public G711Transcoding(Supplier<G711ToAac> opener) {
    this.opener = opener;
  }

  /** Whether a transcoder is open now (holding native memory). */
  public synchronized boolean active() {
    return transcoder != null;
  }

  /**
   * The AudioSpecificConfig of the frames (AAC-LC, 48 kHz, mono); opens the transcoder if needed.
   */
  public synchronized byte[] audioSpecificConfig() {
    return transcoder().audioSpecificConfig();
  }

  /**
   * The AAC frames complete once the G.711 frame at media offset {@code offset} is added (see
   * {@link G711ToAac#transcode}).
   *
   * @throws IllegalArgumentException if it is not a usable G.711 frame (nothing changes)
   * @throws RuntimeException if FFmpeg failed: the transcoder is closed, the next frame opens a new
   *     one
   */
  public synchronized List<AccessUnit> transcode(AccessUnit g711, long offset) {
    G711ToAac t = transcoder();
    lastUseNanos = System.nanoTime();
    List<AccessUnit> frames;
    try {
      if (mediaAt != null) {
        prime(t, offset);
      }
      frames = t.transcode(g711);
    } catch (IllegalArgumentException refused) {
      throw refused;
    } catch (RuntimeException failed) {
      closeTranscoder();
      throw failed;
    }
    if (!pending.isEmpty()) {
      List<AccessUnit> all = new ArrayList<>(pending);
      all.addAll(frames);
      pending = List.of();
      return all;
    }
    return frames;
  }

  /**
   * For a packager that takes the stream over: its AAC up to {@code pts} (48 kHz) is written. The
   * next G.711 frame first replays, as history, the G.711 records before it from the media topic
   * ({@code mediaAt}), so the frames that follow come out on the same grid, with the same records,
   * as if nothing had happened.
   */
  public synchronized void resumeAt(long pts, LongFunction<AccessUnit> mediaAt) {
    closeTranscoder();
    this.resumePts = pts;
    this.mediaAt = mediaAt;
  }

  /** A new camera session: a new time line, nothing of the old one kept. */
  public synchronized void restart() {
    closeTranscoder();
    resumePts = Long.MIN_VALUE;
    mediaAt = null;
    pending = List.of();
  }

  /** Closes the transcoder if the stream sent no G.711 for {@link #IDLE}; true if it did. */
  public synchronized boolean closeIfIdle(long nowNanos) {
    if (transcoder == null || nowNanos - lastUseNanos < IDLE.toNanos()) {
      return false;
    }
    closeTranscoder();
    return true;
  }

  private G711ToAac transcoder() {
    if (transcoder == null) {
      transcoder = opener.get();
    }
    return transcoder;
  }

  /**
   * Replays the G.711 before {@code offset} on the resume grid; frames at or after it are kept for
   * the next chunk.
   */
  private void prime(G711ToAac t, long offset) {
    LongFunction<AccessUnit> lookup = mediaAt;
    mediaAt = null;
    t.resumeAt(resumePts);
    Deque<AccessUnit> history = new ArrayDeque<>();
    long wanted = resumePts - (long) HISTORY_FRAMES * G711ToAac.FRAME_SAMPLES;
    for (long o = offset - 1; o >= 0 && o >= offset - HISTORY_RECORDS; o--) {
      AccessUnit au = lookup.apply(o);
      if (au == null) {
        break; // gone (retention) or unreadable: what was found is all the history there is
      }
      if (au.codec() != Codec.PCMU && au.codec() != Codec.PCMA || au.data().length == 0) {
        continue;
      }
      if (!history.isEmpty()
          && history.peekFirst().pts() - (au.pts() + au.data().length)
              > (long) au.timebase() * G711ToAac.RESYNC_MILLIS / 1000) {
        break; // a break in the time line: nothing before it belongs to this one
      }
      history.addFirst(au);
      if (au.pts() * G711ToAac.SAMPLE_RATE / au.timebase() <= wanted) {
        break;
      }
    }
    List<AccessUnit> early = new ArrayList<>();
    for (AccessUnit au : history) {
      try {
        early.addAll(t.transcode(au));
      } catch (IllegalArgumentException skipped) {
        // a frame the previous packager refused as well
      }
    }
    pending = early; // none when the history lines up; otherwise not lost either
    resumePts = Long.MIN_VALUE;
  }

  private void closeTranscoder() {
    if (transcoder != null) {
      transcoder.close();
      transcoder = null;
    }
  }

  @Override
  public synchronized void close() {
    closeTranscoder();
    mediaAt = null;
  }
}
