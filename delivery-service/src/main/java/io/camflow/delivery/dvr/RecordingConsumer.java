package io.camflow.delivery.dvr;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the recording's readers share: a consumer without a group, tuned for lookups (no fetch waits
 * for data that is not there yet), which topics are known to exist, and a record's headers as the
 * record formats take them. Used by one call at a time (its owner's methods are synchronized).
 */
final class RecordingConsumer {

  /** How long one read may take before it gives up (a broker that does not answer). */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  static final Duration POLL = Duration.ofMillis(200);

  final KafkaConsumer<byte[], byte[]> consumer;
  private final Set<String> known = new HashSet<>();

  /**
   * @param fetchBytes how much one fetch brings (a larger record batch still comes whole)
   */
  RecordingConsumer(String bootstrapServers, String clientId, int fetchBytes) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("enable.auto.commit", "false");
    // a fetch that waits for data would hold the next lookup on the same connection for up to
    // fetch.max.wait.ms (500 ms by default): these reads want what is there, now
    p.put("fetch.max.wait.ms", "10");
    p.put("allow.auto.create.topics", "false");
    // retention deletes from the old end while a read goes on: a position it took carries on at the
    // new beginning (what was asked for is gone either way), never at the end of the log, where a
    // read from the oldest edge would find nothing
    p.put("auto.offset.reset", "earliest");
    p.put("client.id", clientId);
    p.put("max.poll.records", "5000");
    p.put("max.partition.fetch.bytes", Integer.toString(fetchBytes));
    p.put("fetch.max.bytes", Integer.toString(Math.max(fetchBytes, 1024 * 1024)));
    p.put("request.timeout.ms", Long.toString(READ_TIMEOUT.toMillis()));
    p.put("default.api.timeout.ms", Long.toString(READ_TIMEOUT.toMillis()));
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Whether {@code topic} exists; asked of the broker once per topic that does. */
  boolean exists(String topic) {
    if (known.contains(topic)) {
      return true;
    }
    if (!consumer.listTopics().containsKey(topic)) {
      return false;
    }
    known.add(topic); // topics of recorded streams stay
    return true;
  }

  /** A one-partition topic assigned to the consumer, and its offsets now: [begin, end). */
  record Assigned(TopicPartition tp, long begin, long end) {}

  /**
   * Assigns {@code topic}'s partition and reads its bounds; null when the topic does not exist or
   * holds nothing.
   */
  Assigned assign(String topic) {
    if (!exists(topic)) {
      return null;
    }
    TopicPartition tp = new TopicPartition(topic, 0);
    consumer.assign(List.of(tp));
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    return end <= begin ? null : new Assigned(tp, begin, end);
  }

  static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, byte[]> h = new HashMap<>();
    for (Header header : r.headers()) {
      h.put(header.key(), header.value());
    }
    return h;
  }

  void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
