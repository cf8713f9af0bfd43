package io.camflow.packager.thumbnail;

import io.camflow.media.AccessUnit;
import io.camflow.media.Topics;
import io.camflow.media.record.Thumbnail;
import io.camflow.picture.Picture;
import io.camflow.picture.PictureFormat;
import io.camflow.picture.PictureMaker;
import io.camflow.picture.PictureSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DVR timeline's pictures: the first video keyframe of each interval of a stream's capture
 * time, decoded once and written as a small JPEG to the stream's thumbnail topic ({@link
 * Thumbnail}, docs/record-format.md "Thumbnails"), so no viewer decodes anything to scrub a
 * timeline. The packager offers every access unit; all but the sampled keyframes cost a comparison.
 * Decoding runs on one thread of its own, never on the packaging path; when it falls behind (more
 * streams than it can decode), samples are dropped and counted, never queued without bound.
 */
public final class Thumbnailer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Thumbnailer.class);

  /** The box a thumbnail fits (aspect kept): a timeline tile at twice its CSS size. */
  public static final PictureSpec SPEC = new PictureSpec(PictureFormat.JPEG, 256, 144, 70);

  /** Samples waiting for the decoder at most. */
  static final int QUEUE = 16;

  /** Where thumbnails go: the topic and the record. */
  public interface Sink {
    void write(String topic, Thumbnail thumbnail);
  }

  private final long intervalMillis;
  private final Sink sink;
  private final Map<String, Long> lastBucket = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor decoder;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public Thumbnailer(Duration interval, Sink sink) {
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("a thumbnail interval of " + interval);
    }
    this.intervalMillis = interval.toMillis();
    this.sink = sink;
    this.decoder =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            Thread.ofPlatform().daemon().name("camflow-packager-thumbnails").factory());
  }

  /**
   * Looks at one access unit of the stream whose media topic is {@code mediaTopic}: a video
   * keyframe in an interval that has no thumbnail yet is handed to the decoder.
   *
   * @param offset the unit's media offset
   * @param captureMillis its capture time (the media record's timestamp)
   */
  public void offer(
      String mediaTopic, long offset, AccessUnit au, String session, long captureMillis) {
    if (!au.keyframe() || !au.codec().isVideo()) {
      return;
    }
    long bucket = Math.floorDiv(captureMillis, intervalMillis);
    Long last = lastBucket.get(mediaTopic); // one consumer thread per topic offers its units
    if (last != null && last >= bucket) {
      return; // sampled already (or a clock step back into an interval that was)
    }
    lastBucket.put(mediaTopic, bucket);
    try {
      decoder.execute(() -> make(mediaTopic, offset, au, session, captureMillis));
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
      lastBucket.remove(mediaTopic, bucket); // the next keyframe may take the interval's place
    }
  }

  private void make(
      String mediaTopic, long offset, AccessUnit au, String session, long captureMillis) {
    Picture p;
    try {
      p = PictureMaker.at(List.of(au), Long.MAX_VALUE, captureMillis, SPEC);
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      LOG.debug(
          "{}: the keyframe at offset {} gave no thumbnail: {}", mediaTopic, offset, e.toString());
      return;
    }
    try {
      sink.write(
          Topics.thumbsOf(mediaTopic),
          new Thumbnail(session, offset, p.width(), p.height(), captureMillis, p.bytes()));
      written.incrementAndGet();
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      LOG.warn("{}: a thumbnail could not be written: {}", mediaTopic, e.toString());
    }
  }

  /** Forgets a stream this packager no longer has (another one samples it now). */
  public void forget(String mediaTopic) {
    lastBucket.remove(mediaTopic);
  }

  /** Thumbnails written. */
  public long written() {
    return written.get();
  }

  /** Samples dropped because the decoder was behind. */
  public long dropped() {
    return dropped.get();
  }

  /** Keyframes that did not decode, or thumbnails that could not be written. */
  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    decoder.shutdownNow();
  }
}
