package io.camflow.delivery.picture;

import io.camflow.delivery.gop.GopCache;
import io.camflow.delivery.gop.Unit;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.picture.BadPictureException;
import io.camflow.picture.BadPictureRequestException;
import io.camflow.picture.FrameDecoder;
import io.camflow.picture.Picture;
import io.camflow.picture.PictureEncoder;
import io.camflow.picture.PictureSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving pictures of one watched stream, for MJPEG and the frames socket: while anyone watches, one
 * thread decodes the stream's video — every frame, as a P-frame needs the one before — and for each
 * rendition asked for (format, size, quality and rate) encodes a picture when its next is due, once
 * for all its viewers. Nobody watching, nothing is decoded.
 *
 * <p>Told of every unit by the stream's GOP cache (on the feed's thread): units are queued for the
 * decoding thread, up to {@link #QUEUE} of them; a decoder that falls that far behind drops the
 * queue and starts again at the next keyframe, so it never holds the feed or grows without bound.
 * Decoding starts at the next keyframe after the first viewer came (its first picture is the
 * snapshot of the latest keyframe, {@link LatestPictures}). While every rendition is at most half
 * the camera's width, the decoder skips the deblocking filter ({@link
 * FrameDecoder#skipLoopFilter}).
 */
public final class PictureStream implements GopCache.Listener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PictureStream.class);

  /** Units waiting for the decoder at most (10 s at 25 fps). */
  static final int QUEUE = 250;

  /** Most pictures per second a viewer may ask for. */
  public static final double MAX_FPS = 10;

  /** Fewest pictures per second a viewer may ask for (one a minute). */
  public static final double MIN_FPS = 1.0 / 60;

  /** Gets each picture of its rendition on the decoding thread; must not block. */
  public interface Viewer {
    void picture(Picture picture);
  }

  /** A viewer's place: {@link #close()} when it leaves. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** What a viewer watches: pictures of this spec, this many a second. */
  public record Rendition(PictureSpec spec, double fps) {
    public Rendition {
      if (!(fps >= MIN_FPS && fps <= MAX_FPS)) {
        throw new BadPictureRequestException(
            "fps must be " + String.format("%.3f", MIN_FPS) + " to " + MAX_FPS + ", was " + fps);
      }
    }
  }

  private final StreamKey key;
  private final Map<Rendition, List<Viewer>> viewers = new LinkedHashMap<>();
  private final BlockingQueue<Unit> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong decoded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean watched;
  private volatile boolean scaledDown; // every rendition at most half the camera's size
  private boolean started; // the feed's thread only: a keyframe opened the run being queued
  private Thread thread;

  private final LongAdder framesDecoded;

  /**
   * @param framesDecoded counts the frames decoded, with those of other streams (a metric)
   */
  public PictureStream(StreamKey key, LongAdder framesDecoded) {
    this.key = key;
    this.framesDecoded = framesDecoded;
  }

  @Override
  public void unit(Unit unit) {
    if (!watched || !unit.au().codec().isVideo()) {
      return;
    }
    if (!started) {
      if (!unit.videoKeyframe()) {
        return;
      }
      started = true;
    }
    if (!queue.offer(unit)) {
      queue.clear(); // behind by 10 s: what is queued would be shown late anyway
      dropped.incrementAndGet();
      started = unit.videoKeyframe() && queue.offer(unit);
    }
  }

  /** Starts sending {@code viewer} the pictures of {@code rendition}, decoding if nobody did. */
  public synchronized Subscription watch(Rendition rendition, Viewer viewer) {
    viewers.computeIfAbsent(rendition, r -> new CopyOnWriteArrayList<>()).add(viewer);
    if (thread == null) {
      watched = true;
      thread = new Thread(this::decode, "camflow-pictures-" + key.camera() + "-" + key.stream());
      thread.setDaemon(true);
      thread.start();
    }
    return () -> leave(rendition, viewer);
  }

  private synchronized void leave(Rendition rendition, Viewer viewer) {
    List<Viewer> list = viewers.get(rendition);
    if (list == null || !list.remove(viewer)) {
      return;
    }
    if (list.isEmpty()) {
      viewers.remove(rendition);
    }
    if (viewers.isEmpty()) {
      stop();
    }
  }

  private void stop() {
    watched = false;
    if (thread != null) {
      thread.interrupt();
      thread = null;
    }
  }

  /** Viewers now (tests, metrics). */
  public synchronized int viewers() {
    return viewers.values().stream().mapToInt(List::size).sum();
  }

  /** Frames decoded since the stream began (tests, metrics). */
  public long decoded() {
    return decoded.get();
  }

  /** Times the decoder fell {@link #QUEUE} units behind and skipped to a keyframe. */
  public long dropped() {
    return dropped.get();
  }

  private void decode() {
    FrameDecoder decoder = null;
    Map<Rendition, Long> due = new LinkedHashMap<>();
    long anchorPts = 0;
    long anchorMillis = 0;
    int timebase = 90_000;
    String session = null;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Unit unit = queue.poll(1, TimeUnit.SECONDS);
        if (unit == null) {
          continue;
        }
        AccessUnit au = unit.au();
        if (decoder == null || !unit.session().equals(session) || decoder.codec() != au.codec()) {
          if (!au.keyframe()) {
            continue; // a new session decodes from its keyframe
          }
          if (decoder != null) {
            decoder.close();
          }
          decoder = new FrameDecoder(au.codec());
          session = unit.session();
          due.clear();
        }
        if (au.keyframe()) { // the wall clock of the pictures follows their pts from here
          anchorPts = au.pts();
          anchorMillis = unit.timestampMillis();
          timebase = au.timebase();
        }
        decoder.skipLoopFilter(scaledDown);
        long aPts = anchorPts;
        long aMillis = anchorMillis;
        int tb = timebase;
        try {
          decoder.decode(au, frame -> deliver(frame, due, aPts, aMillis, tb));
        } catch (BadPictureException e) {
          LOG.debug("{}: {}", key, e.getMessage()); // the next units may decode again
        }
      }
    } catch (InterruptedException e) {
      // the last viewer left
    } catch (RuntimeException e) {
      LOG.warn("{}: pictures stopped: {}", key, e.toString(), e);
    } finally {
      if (decoder != null) {
        decoder.close();
      }
      queue.clear();
    }
  }

  private void deliver(
      AVFrame frame, Map<Rendition, Long> due, long anchorPts, long anchorMillis, int timebase) {
    decoded.incrementAndGet();
    framesDecoded.increment();
    long pts = frame.pts() == avutil.AV_NOPTS_VALUE ? frame.best_effort_timestamp() : frame.pts();
    long capture = anchorMillis + (pts - anchorPts) * 1000 / timebase;
    List<Map.Entry<Rendition, List<Viewer>>> now;
    synchronized (this) {
      now = new ArrayList<>(viewers.entrySet());
    }
    scaledDown =
        now.stream()
            .allMatch(
                e -> e.getKey().spec().fit(frame.width(), frame.height())[0] * 2 <= frame.width());
    for (Map.Entry<Rendition, List<Viewer>> e : now) {
      Rendition r = e.getKey();
      long interval = Math.round(timebase / r.fps());
      Long next = due.get(r);
      if (next != null && pts < next && next - pts <= interval) {
        continue; // not due yet (a next far ahead: the clock went back, a new GOP)
      }
      due.put(r, next == null || pts - next > interval ? pts + interval : next + interval);
      Picture picture = PictureEncoder.encode(frame, r.spec(), capture);
      for (Viewer v : e.getValue()) {
        v.picture(picture);
      }
    }
  }

  @Override
  public synchronized void close() {
    viewers.clear();
    stop();
  }
}
