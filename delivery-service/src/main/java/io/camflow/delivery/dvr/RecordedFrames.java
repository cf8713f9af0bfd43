package io.camflow.delivery.dvr;

import io.camflow.delivery.gop.KeyframeSeek;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.record.MediaRecordFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The access units of a recorded instant, for a picture of it: read from the stream's media topic
 * (which keeps the recording's retention), the video keyframe at or before the instant found by
 * {@code offsetsForTimes} and a short read back ({@link KeyframeSeek#lastKeyframeBefore}), then —
 * for the exact frame — every video unit from there to a little past the instant (a B-frame camera
 * presents frames after later ones are sent). One consumer without a group, one call at a time
 * (callers run on the DVR executor).
 */
public final class RecordedFrames implements AutoCloseable {

  /** How far past the instant an exact read goes, for frames presented later than sent. */
  static final long REORDER_MILLIS = 500;

  /** Most bytes an exact read gathers (a 60 s GOP of 4K at 20 Mbit/s is 150 MB: refused). */
  static final long MAX_RUN_BYTES = 64L * 1024 * 1024;

  /** How much later than the newest record an instant may be and still show it. */
  static final long NEWEST_HOLD_MILLIS = 5_000;

  /**
   * What a picture of the instant is decoded from.
   *
   * @param units the keyframe, then (exact) the video units of its track after it, decode order
   * @param keyframeMillis the keyframe's capture time
   * @param targetPts the instant in the units' pts ({@link Long#MAX_VALUE}: the keyframe's picture)
   */
  public record Run(List<AccessUnit> units, long keyframeMillis, long targetPts) {}

  private final RecordingConsumer reader;
  private final KafkaConsumer<byte[], byte[]> consumer;

  public RecordedFrames(String bootstrapServers) {
    reader = new RecordingConsumer(bootstrapServers, "camflow-delivery-pictures", 4 * 1024 * 1024);
    consumer = reader.consumer;
  }

  /**
   * The run for a picture of {@code key} at {@code at}: the keyframe at or before it, and with
   * {@code exact} the units up to the frame shown then. Empty when nothing is recorded then (before
   * the oldest record, in the future, or a keyframe more than {@link KeyframeSeek#MAX_BACK} records
   * back).
   *
   * @throws IllegalArgumentException if an exact run would exceed {@link #MAX_RUN_BYTES}
   */
  public synchronized Optional<Run> at(StreamKey key, Instant at, boolean exact) {
    RecordingConsumer.Assigned media = reader.assign(key.mediaTopic());
    if (media == null) {
      return Optional.empty();
    }
    TopicPartition tp = media.tp();
    long end = media.end();
    long millis = at.toEpochMilli();
    OffsetAndTimestamp later = consumer.offsetsForTimes(Map.of(tp, millis + 1)).get(tp);
    long after = later == null ? end : later.offset();
    if (later == null && newestMillis(tp, end) + NEWEST_HOLD_MILLIS < millis) {
      return Optional.empty(); // after the recording's end
    }
    ConsumerRecord<byte[], byte[]> keyframe =
        KeyframeSeek.lastKeyframeBefore(consumer, tp, after, r -> r.timestamp() <= millis);
    if (keyframe == null) {
      return Optional.empty();
    }
    AccessUnit first = unit(keyframe);
    if (!exact) {
      return Optional.of(new Run(List.of(first), keyframe.timestamp(), Long.MAX_VALUE));
    }
    long targetPts = first.pts() + (millis - keyframe.timestamp()) * first.timebase() / 1000;
    return Optional.of(
        new Run(exactRun(tp, keyframe, first, millis, end), keyframe.timestamp(), targetPts));
  }

  private List<AccessUnit> exactRun(
      TopicPartition tp,
      ConsumerRecord<byte[], byte[]> keyframe,
      AccessUnit first,
      long millis,
      long end) {
    List<AccessUnit> run = new ArrayList<>();
    run.add(first);
    long bytes = first.data().length;
    String session = MediaRecordFormat.session(RecordingConsumer.headers(keyframe));
    consumer.seek(tp, keyframe.offset() + 1);
    long deadline = System.nanoTime() + RecordingConsumer.READ_TIMEOUT.toNanos();
    while (consumer.position(tp) < end && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(RecordingConsumer.POLL)) {
        Map<String, byte[]> h = RecordingConsumer.headers(r);
        if (r.timestamp() > millis + REORDER_MILLIS
            || !session.equals(MediaRecordFormat.session(h))) {
          return run;
        }
        AccessUnit au;
        try {
          au = MediaRecordFormat.decode(h, r.value());
        } catch (IllegalArgumentException e) {
          continue; // not an access unit: the live feed logs such records
        }
        if (au.track() != first.track() || au.codec() != first.codec()) {
          continue;
        }
        if (au.keyframe() && r.timestamp() > millis) {
          return run; // the next GOP: nothing after it is shown before it
        }
        bytes += au.data().length;
        if (bytes > MAX_RUN_BYTES) {
          throw new IllegalArgumentException(
              "the frames from the keyframe to that instant exceed "
                  + (MAX_RUN_BYTES >> 20)
                  + " MiB; ask without exact=1");
        }
        run.add(au);
      }
    }
    return run;
  }

  private long newestMillis(TopicPartition tp, long end) {
    consumer.seek(tp, end - 1);
    long deadline = System.nanoTime() + RecordingConsumer.READ_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(RecordingConsumer.POLL)) {
        return r.timestamp();
      }
    }
    throw new IllegalStateException("cannot read the newest record of " + tp.topic());
  }

  private static AccessUnit unit(ConsumerRecord<byte[], byte[]> r) {
    return MediaRecordFormat.decode(RecordingConsumer.headers(r), r.value());
  }

  @Override
  public synchronized void close() {
    reader.close();
  }
}
