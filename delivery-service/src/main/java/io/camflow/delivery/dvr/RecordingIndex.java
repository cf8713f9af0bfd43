package io.camflow.delivery.dvr;

import io.camflow.media.StreamKey;
import io.camflow.media.record.IndexEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Reads the recordings' time index ({@code camflow.index.<camera>.<stream>}, docs/record-format.md,
 * "Index"): what is recorded between two instants, and the oldest and newest instant of a stream.
 * One consumer without a group ({@code assign()} and {@code seek()}), used by one call at a time:
 * callers run on an executor of their own, never on an event loop.
 *
 * <p>Only segments the CMAF topic still has are recorded: the index keeps a little less than the
 * CMAF topic by time, but a camera's size bound ({@code dvr.maxSize}) deletes from the CMAF topic
 * alone, so entries that start before the CMAF topic's oldest record are skipped ({@link
 * #keptFrom}).
 */
public final class RecordingIndex implements AutoCloseable {

  private static final Duration POLL = RecordingConsumer.POLL;
  static final Duration READ_TIMEOUT = RecordingConsumer.READ_TIMEOUT;

  private final RecordingConsumer reader;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Admin admin;

  public RecordingIndex(String bootstrapServers) {
    reader =
        new RecordingConsumer(
            bootstrapServers, "camflow-delivery-recordings", 16 * 1024 * 1024 + 1024);
    consumer = reader.consumer;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    a.put(AdminClientConfig.CLIENT_ID_CONFIG, "camflow-delivery-recordings-admin");
    a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
    a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
    admin = Admin.create(a);
  }

  /** The oldest and newest recorded segment of a stream. */
  public record Bounds(IndexEntry oldest, IndexEntry newest) {}

  /**
   * Empty when the stream has no index topic or nothing recorded in it (or nothing the CMAF topic
   * still has).
   */
  public synchronized Optional<Bounds> bounds(StreamKey key) {
    // retention deleting while this reads can leave the offsets read a moment ago pointing at
    // nothing: read them again, rather than call a recording that is there absent
    for (int attempt = 1; ; attempt++) {
      Optional<Bounds> b = boundsOnce(key);
      if (b != null) {
        return b;
      }
      if (attempt == BOUNDS_ATTEMPTS) {
        return Optional.empty();
      }
      try {
        Thread.sleep(20L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /** How often {@link #bounds} reads again when it found nothing. */
  static final int BOUNDS_ATTEMPTS = 3;

  /** The bounds; null when entries were there but could not be read (deleted just now). */
  private Optional<Bounds> boundsOnce(StreamKey key) {
    long kept = keptFrom(key);
    TopicPartition tp = partition(key);
    if (tp == null) {
      return Optional.empty();
    }
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    if (end <= begin) {
      return Optional.empty();
    }
    if (kept > Long.MIN_VALUE) {
      OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(tp, kept)).get(tp);
      if (first == null) {
        return null; // the media is newer than every entry: read again
      }
      begin = Math.max(begin, first.offset());
    }
    IndexEntry oldest = entryAt(tp, begin);
    IndexEntry newest = end - 1 == begin ? oldest : entryAt(tp, end - 1);
    if (oldest == null || newest == null) {
      return null; // deleted by retention just now
    }
    return Optional.of(new Bounds(oldest, newest));
  }

  /**
   * Gives {@code sink} every entry whose segment overlaps {@code [from, to)}, in index order.
   *
   * @return false when the stream has no index topic
   */
  public synchronized boolean read(
      StreamKey key, Instant from, Instant to, Consumer<IndexEntry> sink) {
    long kept = keptFrom(key);
    TopicPartition tp = partition(key);
    if (tp == null) {
      return false;
    }
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    if (end <= begin) {
      return true;
    }
    long lookup = Math.max(from.toEpochMilli(), kept);
    OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, lookup)).get(tp);
    // the entry before the first that starts at or after `from` may reach into the range
    long start = found == null ? end - 1 : Math.max(begin, found.offset() - 1);
    consumer.seek(tp, start);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reading the index of " + key + " took too long");
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        if (r.offset() >= end) {
          return true;
        }
        IndexEntry e = decode(r);
        if (e.startMillis() >= to.toEpochMilli()) {
          return true;
        }
        if (e.endMillis() > from.toEpochMilli() && e.startMillis() >= kept) {
          sink.accept(e);
        }
      }
    }
    return true;
  }

  /**
   * The entry of the segment holding {@code at}, else the first that starts after it (the camera
   * was away at {@code at}); empty when nothing is recorded from {@code at} on.
   */
  public synchronized Optional<IndexEntry> at(StreamKey key, Instant at) {
    long kept = keptFrom(key);
    TopicPartition tp = partition(key);
    if (tp == null) {
      return Optional.empty();
    }
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    if (end <= begin) {
      return Optional.empty();
    }
    long lookup = Math.max(at.toEpochMilli(), kept);
    OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, lookup)).get(tp);
    long next = found == null ? end : found.offset();
    if (next > begin) {
      IndexEntry before = entryAt(tp, next - 1);
      if (before != null
          && before.startMillis() >= kept
          && before.endMillis() > at.toEpochMilli()) {
        return Optional.of(before);
      }
    }
    return next < end ? Optional.ofNullable(entryAt(tp, next)) : Optional.empty();
  }

  /**
   * Capture time of the oldest record the CMAF topic of {@code key} still has: index entries of
   * segments that start earlier name media that is gone. {@link Long#MIN_VALUE} when there is
   * nothing to compare with: no CMAF topic, or an empty one (neither retention empties a CMAF topic
   * while the index still has entries: a size bound keeps the newest log segment, and by time the
   * index goes first; an index written without media, as some tests do, is taken as it is).
   *
   * <p>Two small requests: the topic's beginning, and {@code offsetsForTimes(0)}, which finds the
   * first record's offset and timestamp on the broker without fetching it. A segment whose first
   * record (its keyframe chunk) is stamped exactly then is still whole: the records before it in
   * the topic carry its time or earlier ones (docs/record-format.md, "Index").
   */
  private long keptFrom(StreamKey key) {
    String topic = key.cmafTopic();
    if (!reader.exists(topic)) {
      return Long.MIN_VALUE;
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(
        List.of(tp)); // the consumer warns about offsets of partitions it is not assigned
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(tp, 0L)).get(tp);
    if (first != null && first.offset() >= begin) {
      return first.timestamp();
    }
    if (consumer.endOffsets(List.of(tp)).get(tp) <= begin) {
      return Long.MIN_VALUE;
    }
    // the broker looks in the first log segment only; after a deletion that moved the log's start
    // past that segment's records (deleteRecords), until the segment itself goes, read the record
    consumer.seek(tp, begin);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        return r.timestamp();
      }
    }
    throw new IllegalStateException("cannot read the oldest record of " + topic);
  }

  private TopicPartition partition(StreamKey key) {
    String topic = key.indexTopic();
    if (!reader.exists(topic)) {
      return null;
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    return tp;
  }

  private IndexEntry entryAt(TopicPartition tp, long offset) {
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        return r.offset() == offset ? decode(r) : null;
      }
    }
    return null;
  }

  /**
   * The retention of {@code key}'s recording: its CMAF topic's {@code retention.ms} (the index
   * keeps a little less, so that it never names a deleted segment).
   */
  public Duration retention(StreamKey key) {
    String topic = key.cmafTopic();
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      String ms =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get()
              .get(resource)
              .get("retention.ms")
              .value();
      return Duration.ofMillis(Long.parseLong(ms));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the retention of " + topic, e);
    }
  }

  private static IndexEntry decode(ConsumerRecord<byte[], byte[]> r) {
    return IndexEntry.decode(RecordingConsumer.headers(r), r.value(), r.timestamp());
  }

  @Override
  public synchronized void close() {
    reader.close();
    admin.close(Duration.ofSeconds(2));
  }
}
