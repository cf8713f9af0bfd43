package io.camflow.delivery.mse;

import io.camflow.delivery.gop.KeyframeRun;
import io.camflow.delivery.hls.StreamWindow;
import io.camflow.media.StreamKey;
import io.camflow.media.record.CmafRecord;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The MSE side of one watched stream: told of every CMAF record its window takes (on the stream's
 * feed thread), it keeps the GOP cache — the fragments since the latest video keyframe, so a new
 * viewer starts at once instead of at the next IDR — and fans each new fragment out to its viewers,
 * one shared buffer per fragment. It also decides when the stream is offline: no chunk for {@link
 * MseSettings#offlineAfter()} (a camera lost stops the chunks; when it comes back the packager
 * writes a new init, with a new id, before its first keyframe).
 *
 * <p>State is guarded by this object's lock, held only to update it and to hand items to viewers
 * (each viewer queues them on its own event loop).
 */
public final class MseStream implements StreamWindow.Listener, AutoCloseable {

  /**
   * Past this the GOP cache is given up until the next keyframe (a camera with a very long GOP).
   */
  public static final long GOP_CACHE_MAX_BYTES = 32L * 1024 * 1024;

  /**
   * Where a joining viewer starts: the init in force and the fragments from the latest keyframe.
   */
  public record Start(MseInit init, List<Fragment> gop) {}

  private final StreamKey key;
  private final MseSettings settings;
  private final AtomicInteger reserved = new AtomicInteger();
  private final Set<MseViewer> viewers = new LinkedHashSet<>();
  private final Set<MseViewer> waiting = new LinkedHashSet<>();

  /**
   * The fragments since the latest keyframe: the stream hub's GOP cache keeps them
   * (docs/delivery.md, "Stream hubs").
   */
  private final KeyframeRun<Fragment> gop;

  private final ScheduledFuture<?> stallCheck;
  private MseInit init;
  private boolean online;
  private boolean closed;

  /**
   * When the last chunk came; at first, when the stream started (it gets offlineAfter to show one).
   */
  private long lastChunkNanos = System.nanoTime();

  /** When the first of the waiting viewers began to wait. */
  private long waitingSinceNanos;

  /** With a GOP of its own (tests). */
  public MseStream(StreamKey key, MseSettings settings, ScheduledExecutorService scheduler) {
    this(key, settings, scheduler, new KeyframeRun<>(GOP_CACHE_MAX_BYTES));
  }

  /**
   * @param gop where the stream's fragments since the latest keyframe are kept; guarded by this
   *     object's lock
   */
  public MseStream(
      StreamKey key,
      MseSettings settings,
      ScheduledExecutorService scheduler,
      KeyframeRun<Fragment> gop) {
    this.key = key;
    this.settings = settings;
    this.gop = gop;
    long period = Math.max(50, settings.offlineAfter().toMillis() / 8);
    this.stallCheck =
        scheduler == null
            ? null
            : scheduler.scheduleWithFixedDelay(
                this::checkStall, period, period, TimeUnit.MILLISECONDS);
  }

  public StreamKey key() {
    return key;
  }

  /**
   * Takes a place for a viewer if the per-stream limit allows; {@link #release()} gives it back.
   */
  public boolean reserve() {
    while (true) {
      int n = reserved.get();
      if (n >= settings.viewerLimits().perStream()) {
        return false;
      }
      if (reserved.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void release() {
    reserved.decrementAndGet();
  }

  /** MSE viewers connected (places taken). */
  public int viewers() {
    return reserved.get();
  }

  /**
   * Starts a viewer at the latest keyframe, or has it wait for the stream (told if it is offline).
   */
  public synchronized void join(MseViewer viewer) {
    if (closed) {
      viewer.end(MseMessages.offline(), 1011, "stream stopped");
      return;
    }
    if (canStart()) {
      viewers.add(viewer);
      viewer.start(new Start(init, gop.items()));
    } else {
      if (waiting.isEmpty()) {
        waitingSinceNanos = System.nanoTime();
      }
      waiting.add(viewer);
      if (!online && System.nanoTime() - lastChunkNanos > settings.offlineAfter().toNanos()) {
        viewer.offline(); // a stream just starting gets offlineAfter to show its first chunk
      }
    }
  }

  public synchronized void leave(MseViewer viewer) {
    viewers.remove(viewer);
    waiting.remove(viewer);
  }

  @Override
  public void accepted(CmafRecord record, long timestampMillis) {
    switch (record) {
      case CmafRecord.Init i -> init(i);
      case CmafRecord.Chunk c -> chunk(c, timestampMillis);
      default -> {}
    }
  }

  private synchronized void init(CmafRecord.Init i) {
    if (init != null && init.id() == i.init()) {
      return;
    }
    init = MseInit.of(i.init(), i.codecs(), i.data());
    gop.clear();
    for (MseViewer v : viewers) {
      v.init(init);
    }
  }

  private synchronized void chunk(CmafRecord.Chunk c, long timestampMillis) {
    if (init == null || c.init() != init.id()) {
      return; // no init segment to play it with
    }
    Fragment f =
        Fragment.of(
            c.data(),
            c.track() == 1 && c.keyframe(),
            timestampMillis,
            init.id(),
            c.receivedMicros());
    gop.add(f, f.independent(), f.size());
    lastChunkNanos = System.nanoTime();
    if (!online) {
      online = true;
      viewers.forEach(MseViewer::online);
    }
    for (MseViewer v : viewers) {
      v.media(f);
    }
    // not while the feed replays the topic's tail at startup: "live" would then be no live edge
    if (System.currentTimeMillis() - timestampMillis < settings.offlineAfter().toMillis()) {
      startWaiting();
    }
  }

  private void startWaiting() {
    if (!waiting.isEmpty() && canStart()) {
      Start start = new Start(init, gop.items());
      for (MseViewer v : waiting) {
        v.start(start);
      }
      viewers.addAll(waiting);
      waiting.clear();
    }
  }

  private boolean canStart() {
    return online && init != null && gop.started();
  }

  synchronized void checkStall() {
    if (!waiting.isEmpty()
        && System.nanoTime() - waitingSinceNanos > settings.offlineAfter().toNanos() / 2) {
      startWaiting(); // record timestamps from a skewed clock must not keep viewers waiting
    }
    long quiet = System.nanoTime() - lastChunkNanos;
    if (quiet <= settings.offlineAfter().toNanos()) {
      return;
    }
    if (online) {
      online = false;
      viewers.forEach(MseViewer::offline);
    }
    waiting.forEach(MseViewer::offline); // told once: a viewer ignores a repeat
  }

  /** Whether chunks are arriving (tests, status). */
  public synchronized boolean online() {
    return online;
  }

  /** The stream's consumer stopped: its viewers are told and closed (they may reconnect). */
  @Override
  public synchronized void close() {
    closed = true;
    if (stallCheck != null) {
      stallCheck.cancel(false);
    }
    for (MseViewer v : viewers) {
      v.end(MseMessages.offline(), 1011, "stream stopped");
    }
    for (MseViewer v : waiting) {
      v.end(MseMessages.offline(), 1011, "stream stopped");
    }
    viewers.clear();
    waiting.clear();
    gop.clear();
  }
}
