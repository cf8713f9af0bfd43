package io.camflow.delivery.picture;

import io.camflow.delivery.gop.GopCache;
import io.camflow.delivery.gop.Unit;
import io.camflow.picture.Picture;
import io.camflow.picture.PictureSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The snapshots of one watched stream: told of every access unit by the stream's GOP cache, it
 * keeps the latest video keyframe, and the pictures made of it — one per asked spec (format, size,
 * quality), each made once, by the first request that asks, and shared by every request until the
 * next keyframe replaces them (decoded once per GOP). A request that comes before the stream's
 * first keyframe waits for it.
 */
public final class LatestPictures implements GopCache.Listener {

  /** How long a picture waits for a stream's first keyframe (a feed starting, a camera waking). */
  public static final Duration KEYFRAME_WAIT = Duration.ofSeconds(5);

  /** Specs kept per keyframe: a wall of tiles of a few sizes, not one per odd request. */
  static final int MAX_SPECS = 8;

  private Unit keyframe;
  private final List<CompletableFuture<Unit>> waiting = new ArrayList<>();
  private final Map<PictureSpec, CompletableFuture<Picture>> made =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PictureSpec, CompletableFuture<Picture>> e) {
          return size() > MAX_SPECS;
        }
      };

  @Override
  public void unit(Unit unit) {
    if (!unit.videoKeyframe()) {
      return;
    }
    List<CompletableFuture<Unit>> ready;
    synchronized (this) {
      keyframe = unit;
      made.clear();
      ready = List.copyOf(waiting);
      waiting.clear();
    }
    ready.forEach(w -> w.complete(unit)); // outside the lock: a waiter may ask again at once
  }

  /**
   * The picture of the latest keyframe as {@code spec} asks: made by {@code workers} unless a
   * request before made or is making it. Fails with a {@link java.util.concurrent.TimeoutException}
   * when the stream has no keyframe within {@link #KEYFRAME_WAIT}.
   */
  public CompletableFuture<Picture> latest(PictureSpec spec, PictureWorkers workers) {
    return keyframe()
        .orTimeout(KEYFRAME_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(k -> picture(k, spec, workers));
  }

  /** The latest keyframe: now if there is one, else when it comes. */
  private synchronized CompletableFuture<Unit> keyframe() {
    if (keyframe != null) {
      return CompletableFuture.completedFuture(keyframe);
    }
    CompletableFuture<Unit> w = new CompletableFuture<>();
    waiting.add(w);
    return w;
  }

  /**
   * The picture of keyframe {@code of} as {@code spec} asks: the one a request before made or is
   * making, else made now by {@code workers}.
   */
  private CompletableFuture<Picture> picture(Unit of, PictureSpec spec, PictureWorkers workers) {
    CompletableFuture<Picture> p;
    synchronized (this) {
      if (of != keyframe) {
        return workers.make(List.of(of.au()), Long.MAX_VALUE, of.timestampMillis(), spec);
      }
      p = made.get(spec);
      if (p != null) {
        workers.hit();
        return p;
      }
      p = new CompletableFuture<>();
      made.put(spec, p);
    }
    CompletableFuture<Picture> mine = p;
    workers
        .make(List.of(of.au()), Long.MAX_VALUE, of.timestampMillis(), spec)
        .whenComplete(
            (picture, error) -> {
              if (error != null) {
                forget(of, spec, mine); // the next request tries again
                mine.completeExceptionally(error);
              } else {
                mine.complete(picture);
              }
            });
    return p;
  }

  private synchronized void forget(Unit of, PictureSpec spec, CompletableFuture<Picture> p) {
    if (of == keyframe) {
      made.remove(spec, p);
    }
  }

  /** Drops the keyframe and what was made of it (the feed stopped); waiters keep waiting. */
  public synchronized void clear() {
    keyframe = null;
    made.clear();
  }
}
