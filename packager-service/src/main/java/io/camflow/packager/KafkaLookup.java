package io.camflow.packager;

import io.camflow.media.AccessUnit;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import io.camflow.media.record.MediaRecordFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The two reads a packager needs when it takes over a stream: the tail of its own CMAF output (to
 * continue where the last packager stopped) and one media record by offset (the keyframe that
 * opened the init segment in force). Not on the packaging path; a plain consumer without a group.
 */
final class KafkaLookup implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(500);
  private final KafkaConsumer<byte[], byte[]> consumer;

  KafkaLookup(String bootstrapServers) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("enable.auto.commit", "false");
    p.put("max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024 + 1024));
    p.put("client.id", "camflow-packager-lookup");
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The records after the last segment end (inclusive), oldest first; all of them if there is none.
   */
  synchronized List<StreamPackager.Output> cmafTail(String topic) {
    if (consumer.listTopics().get(topic) == null) {
      return List.of();
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    for (long window = 512; ; window *= 4) {
      long from = Math.max(begin, end - window);
      List<StreamPackager.Output> records = read(tp, from, end);
      for (int i = records.size() - 1; i >= 0; i--) {
        if (records.get(i).record() instanceof CmafRecord.SegmentEnd) {
          return records.subList(i, records.size());
        }
      }
      if (from == begin) {
        return records;
      }
    }
  }

  private List<StreamPackager.Output> read(TopicPartition tp, long from, long end) {
    List<StreamPackager.Output> out = new ArrayList<>();
    consumer.seek(tp, from);
    long next = from;
    while (next < end) {
      var batch = consumer.poll(POLL);
      if (batch.isEmpty() && consumer.position(tp) >= end) {
        break;
      }
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        next = r.offset() + 1;
        if (r.offset() < end) {
          out.add(
              new StreamPackager.Output(CmafRecord.decode(headers(r), r.value()), r.timestamp()));
        }
      }
      next = Math.max(next, consumer.position(tp));
    }
    return out;
  }

  /** The access unit at {@code offset} of a media topic, or null if it is gone (retention). */
  synchronized AccessUnit mediaAt(String topic, long offset) {
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    for (int i = 0; i < 10; i++) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        if (r.offset() == offset) {
          return MediaRecordFormat.decode(headers(r), r.value());
        }
        return null; // the record is gone; the next one came back
      }
    }
    return null;
  }

  /**
   * The CMAF topic's init record {@code initId}, or null when retention removed it. Found by time:
   * the init record has the capture time of the keyframe that opened it (media offset {@code
   * initId}) and comes right before that keyframe's chunk.
   */
  synchronized CmafRecord.Init initRecord(String mediaTopic, String cmafTopic, long initId) {
    TopicPartition media = new TopicPartition(mediaTopic, 0);
    consumer.assign(List.of(media));
    consumer.seek(media, initId);
    Long captureMillis = null;
    for (int i = 0; i < 10 && captureMillis == null; i++) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        captureMillis = r.offset() == initId ? r.timestamp() : -1L;
        break;
      }
    }
    if (captureMillis == null || captureMillis < 0) {
      return null;
    }
    TopicPartition cmaf = new TopicPartition(cmafTopic, 0);
    consumer.assign(List.of(cmaf));
    OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(cmaf, captureMillis)).get(cmaf);
    if (at == null) {
      return null;
    }
    consumer.seek(cmaf, at.offset());
    for (int read = 0, polls = 0; read < 64 && polls < 10; polls++) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        if (++read > 64) {
          break;
        }
        if (CmafRecord.decode(headers(r), r.value()) instanceof CmafRecord.Init init
            && init.init() == initId) {
          return init;
        }
      }
    }
    return null;
  }

  /** The msn of the last entry of an index topic; -1 when it has none (or does not exist). */
  synchronized long lastIndexedMsn(String indexTopic) {
    if (consumer.listTopics().get(indexTopic) == null) {
      return -1;
    }
    TopicPartition tp = new TopicPartition(indexTopic, 0);
    consumer.assign(List.of(tp));
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    if (end <= begin) {
      return -1;
    }
    consumer.seek(tp, end - 1);
    for (int i = 0; i < 10; i++) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        if (r.offset() == end - 1) {
          return IndexEntry.decode(headers(r), r.value(), r.timestamp()).msn();
        }
      }
    }
    return -1;
  }

  private static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, byte[]> h = new HashMap<>();
    for (Header header : r.headers()) {
      h.put(header.key(), header.value());
    }
    return h;
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
