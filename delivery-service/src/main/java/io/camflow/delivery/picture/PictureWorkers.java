package io.camflow.delivery.picture;

import io.camflow.media.AccessUnit;
import io.camflow.picture.Picture;
import io.camflow.picture.PictureMaker;
import io.camflow.picture.PictureSpec;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where pictures are made: a few threads of their own, never an event loop or a feed, with a
 * bounded queue — past it a request is refused ({@link BusyException}, answered 503) instead of
 * piling up decodes no one will wait for. Counts what it did for the metrics.
 */
public final class PictureWorkers implements AutoCloseable {

  /** Refused: every worker busy and the queue full. */
  public static final class BusyException extends RuntimeException {
    BusyException() {
      super("every picture worker is busy; try again");
    }
  }

  private final ThreadPoolExecutor executor;
  private final AtomicLong decodes = new AtomicLong();
  private final AtomicLong decodeNanos = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();

  /**
   * @param threads decodes at once
   * @param queue decodes waiting at most
   */
  public PictureWorkers(int threads, int queue) {
    executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queue),
            r -> {
              Thread t = new Thread(r, "camflow-pictures");
              t.setDaemon(true);
              return t;
            });
  }

  /** {@link PictureMaker#at}, on a worker. */
  public CompletableFuture<Picture> make(
      List<AccessUnit> run, long targetPts, long keyframeMillis, PictureSpec spec) {
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            long start = System.nanoTime();
            try {
              return PictureMaker.at(run, targetPts, keyframeMillis, spec);
            } finally {
              decodes.incrementAndGet();
              decodeNanos.addAndGet(System.nanoTime() - start);
            }
          },
          executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new BusyException());
    }
  }

  /** A picture was answered from what an earlier request made. */
  void hit() {
    hits.incrementAndGet();
  }

  /** Pictures made (camflow_delivery_picture_decodes). */
  public long decodes() {
    return decodes.get();
  }

  /** Seconds spent making them (camflow_delivery_picture_decode_seconds). */
  public double decodeSeconds() {
    return decodeNanos.get() / 1e9;
  }

  /** Pictures answered without making them (camflow_delivery_picture_cache_hits). */
  public long cacheHits() {
    return hits.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
