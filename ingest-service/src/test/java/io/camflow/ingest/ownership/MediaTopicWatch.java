package io.camflow.ingest.ownership;

import io.camflow.media.record.MediaRecordFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads media topics from the beginning on a thread of its own and keeps, per topic, what says who
 * produced each record: the ingest instance, the source session, ingest's receipt time.
 */
public final class MediaTopicWatch implements AutoCloseable {

  /** One record as the watch saw it. */
  public record Seen(long offset, String instance, String session, long receivedMicros) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, List<Seen>> seen = new HashMap<>();
  private final Thread thread;
  private volatile boolean closing;

  public MediaTopicWatch(String bootstrapServers, List<String> topics) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> tps = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    topics.forEach(t -> seen.put(t, new ArrayList<>()));
    thread = new Thread(this::run, "media-topic-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Seen s =
              new Seen(
                  r.offset(),
                  header(r, MediaRecordFormat.INSTANCE),
                  header(r, MediaRecordFormat.SESSION),
                  MediaRecordFormat.receivedMicros(headers(r)));
          synchronized (seen) {
            seen.get(r.topic()).add(s);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  private static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, byte[]> m = new HashMap<>();
    r.headers().forEach(h -> m.put(h.key(), h.value()));
    return m;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Every record of {@code topic} seen so far, in offset order. */
  public List<Seen> records(String topic) {
    synchronized (seen) {
      return List.copyOf(seen.get(topic));
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
