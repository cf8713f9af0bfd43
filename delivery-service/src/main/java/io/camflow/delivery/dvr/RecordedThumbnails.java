package io.camflow.delivery.dvr;

import io.camflow.media.StreamKey;
import io.camflow.media.record.Thumbnail;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The DVR timeline's pictures, as the packager sampled them into a stream's thumbnail topic ({@link
 * Thumbnail}): the one nearest an instant is found by {@code offsetsForTimes} and read with its
 * neighbour, two records, nothing decoded. One consumer without a group, one call at a time
 * (callers run on the DVR executor).
 */
public final class RecordedThumbnails implements AutoCloseable {

  /** How far from the asked instant a thumbnail may be and still stand for it. */
  public static final Duration NEAREST = Duration.ofMinutes(1);

  private final RecordingConsumer reader;
  private final KafkaConsumer<byte[], byte[]> consumer;

  public RecordedThumbnails(String bootstrapServers) {
    reader = new RecordingConsumer(bootstrapServers, "camflow-delivery-thumbnails", 1024 * 1024);
    consumer = reader.consumer;
  }

  /**
   * The thumbnail of {@code key} taken nearest {@code at}, within {@link #NEAREST}; empty when
   * there is none that close (no recording then, or thumbnails off).
   */
  public synchronized Optional<Thumbnail> nearest(StreamKey key, Instant at) {
    RecordingConsumer.Assigned thumbs = reader.assign(key.thumbsTopic());
    if (thumbs == null) {
      return Optional.empty();
    }
    TopicPartition tp = thumbs.tp();
    long begin = thumbs.begin();
    long end = thumbs.end();
    long millis = at.toEpochMilli();
    OffsetAndTimestamp after = consumer.offsetsForTimes(Map.of(tp, millis)).get(tp);
    long first = Math.max(begin, (after == null ? end : after.offset()) - 1);
    long last = Math.min(end - 1, first + 1); // the one before the instant and the one at or after
    Thumbnail best = null;
    consumer.seek(tp, first);
    long deadline = System.nanoTime() + RecordingConsumer.READ_TIMEOUT.toNanos();
    while (consumer.position(tp) <= last && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(RecordingConsumer.POLL)) {
        if (r.offset() > last) {
          break;
        }
        try {
          Thumbnail t = Thumbnail.decode(RecordingConsumer.headers(r), r.value(), r.timestamp());
          if (best == null
              || Math.abs(t.captureMillis() - millis) < Math.abs(best.captureMillis() - millis)) {
            best = t;
          }
        } catch (IllegalArgumentException e) {
          // not a thumbnail: the other one may do
        }
      }
    }
    if (best == null || Math.abs(best.captureMillis() - millis) > NEAREST.toMillis()) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  @Override
  public synchronized void close() {
    reader.close();
  }
}
