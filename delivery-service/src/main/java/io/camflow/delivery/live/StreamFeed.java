package io.camflow.delivery.live;

import io.camflow.delivery.hls.HeldRequests;
import io.camflow.delivery.hls.StreamWindow;
import io.camflow.media.StreamKey;
import io.camflow.media.record.CmafRecord;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Kafka consumer of a watched stream: assigns partition 0 of its CMAF topic (no consumer
 * group: every delivery instance reads the whole stream), starts a few segments before the live
 * edge, and feeds every record into the stream's window on its own thread, waking the held requests
 * after each change. Viewers never touch Kafka.
 */
public final class StreamFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamFeed.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final StreamKey key;
  private final String bootstrapServers;
  private final int startSegments;
  private final StreamWindow window;
  private final HeldRequests held;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  /** Meters the consumer while it runs (metrics); returns what ends that. */
  private final java.util.function.Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> meter;

  public StreamFeed(
      StreamKey key,
      String bootstrapServers,
      int startSegments,
      StreamWindow window,
      HeldRequests held,
      java.util.function.Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> meter) {
    this.meter = meter;
    this.key = key;
    this.bootstrapServers = bootstrapServers;
    this.startSegments = startSegments;
    this.window = window;
    this.held = held;
    this.thread = new Thread(this::run, "camflow-feed-" + key.camera() + "-" + key.stream());
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("enable.auto.commit", "false");
    p.put("allow.auto.create.topics", "false");
    p.put("max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024 + 1024));
    p.put("fetch.max.wait.ms", "50"); // a part is ~10 records: do not let the broker sit on them
    p.put("client.id", "camflow-delivery-" + key.camera() + "-" + key.stream());
    try (KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AutoCloseable metered = meter.apply(c)) {
      consumer = c;
      if (!running) {
        return;
      }
      TopicPartition tp = new TopicPartition(key.cmafTopic(), 0);
      c.assign(List.of(tp));
      CmafTail.Start start = CmafTail.find(c, tp, startSegments);
      if (start.init() != null) {
        window.accept(start.init().record(), start.init().timestampMillis());
      }
      c.seek(tp, start.offset());
      LOG.info("{}: watching {} from offset {}", key, key.cmafTopic(), start.offset());
      while (running) {
        boolean changed = false;
        for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
          CmafTail.Positioned cmaf = CmafTail.decode(r);
          if (cmaf == null) {
            LOG.warn("{}: offset {} is not a CMAF record; skipped", key, r.offset());
            continue;
          }
          try {
            changed |= window.accept(cmaf.record(), cmaf.timestampMillis());
          } catch (RuntimeException e) {
            LOG.warn(
                "{}: offset {} does not fit the window ({}); skipped",
                key,
                r.offset(),
                e.getMessage());
          }
          if (changed) {
            held.recheck(); // answer waiting viewers part by part, not batch by batch
            changed = false;
          } else if (cmaf.record() instanceof CmafRecord.Chunk) {
            held.recheckStreams(); // hinted parts being streamed get the new chunk now
          }
        }
      }
    } catch (WakeupException stopping) {
      // close() woke the poll
    } catch (Exception e) {
      LOG.error("{}: the feed stopped: {}", key, e.toString(), e);
    } finally {
      held.expireAll();
    }
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isAlive() {
    return thread.isAlive();
  }
}
