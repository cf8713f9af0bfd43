package io.camflow.delivery.gop;

import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.record.MediaRecordFormat;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer of a stream's media topic on this instance (partition 0 assigned, no group:
 * every delivery instance reads the whole stream), for viewers that need access units rather than
 * CMAF (WebRTC: RTP is packetized from the camera's NAL units, and G.711 audio is only here). It
 * starts at the latest video keyframe and feeds every unit into a {@link GopCache} on its own
 * thread. Viewers never touch Kafka.
 */
public final class UnitFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UnitFeed.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final StreamKey key;
  private final String bootstrapServers;
  private final GopCache cache;
  private final Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> meter;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile long skipped;

  /**
   * @param meter meters the consumer while it runs (metrics); returns what ends that
   */
  public UnitFeed(
      StreamKey key,
      String bootstrapServers,
      GopCache cache,
      Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> meter) {
    this.key = key;
    this.bootstrapServers = bootstrapServers;
    this.cache = cache;
    this.meter = meter;
    this.thread = new Thread(this::run, "camflow-units-" + key.camera() + "-" + key.stream());
    thread.setDaemon(true);
  }

  public UnitFeed start() {
    thread.start();
    return this;
  }

  private void run() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("enable.auto.commit", "false");
    p.put("allow.auto.create.topics", "false");
    p.put("max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024 + 1024));
    p.put("fetch.max.wait.ms", "20"); // one record per frame: hand each over as it comes
    p.put("client.id", "camflow-delivery-units-" + key.camera() + "-" + key.stream());
    try (KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AutoCloseable metered = meter.apply(c)) {
      consumer = c;
      if (!running) {
        return;
      }
      TopicPartition tp = new TopicPartition(key.mediaTopic(), 0);
      c.assign(List.of(tp));
      long start = KeyframeSeek.latestKeyframe(c, tp);
      c.seek(tp, start);
      LOG.info("{}: reading access units of {} from offset {}", key, key.mediaTopic(), start);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
          Unit unit = decode(r);
          if (unit != null) {
            cache.accept(unit);
          }
        }
      }
    } catch (WakeupException stopping) {
      // close() woke the poll
    } catch (Exception e) {
      LOG.error("{}: the access unit feed stopped: {}", key, e.toString(), e);
    }
  }

  private Unit decode(ConsumerRecord<byte[], byte[]> r) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value());
    }
    try {
      AccessUnit au = MediaRecordFormat.decode(headers, r.value());
      return new Unit(
          au,
          MediaRecordFormat.session(headers),
          r.offset(),
          r.timestamp(),
          MediaRecordFormat.receivedMicros(headers));
    } catch (IllegalArgumentException e) {
      if (skipped++ % 1000
          == 0) { // one line per thousand: a topic full of junk must not flood the log
        LOG.warn(
            "{}: offset {} of {} is not an access unit ({}); skipped ({} so far)",
            key,
            r.offset(),
            key.mediaTopic(),
            e.getMessage(),
            skipped);
      }
      return null;
    }
  }

  /** Records skipped because they are no access unit (tests, metrics). */
  public long skipped() {
    return skipped;
  }

  public boolean isAlive() {
    return thread.isAlive();
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
}
