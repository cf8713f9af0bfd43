package io.camflow.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a compacted one-partition topic from the beginning, then follows it, handing every record
 * to a handler on its own thread: the way every instance of a service learns the whole current
 * state of a control topic ({@code camflow.cameras}, {@code camflow.status}). No consumer group:
 * each instance needs every record. Knows when it has caught up with the end as of its start, and
 * how far it has read, so a writer can wait until its own write is visible.
 */
public final class TopicFollower implements AutoCloseable {

  /**
   * Gets each record in order; {@code value} null is a tombstone. Runs on the follower's thread.
   */
  @FunctionalInterface
  public interface Handler {
    void record(String key, byte[] value);
  }

  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  private final String topic;
  private final Handler handler;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Object progress = new Object();
  private volatile long position;
  private volatile boolean running = true;

  public TopicFollower(String bootstrapServers, String topic, String clientId, Handler handler) {
    this.topic = topic;
    this.handler = handler;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::run, "camflow-follow-" + topic);
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Whether everything the topic held when the follower started has been handled. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the record at {@code offset} has been handled; false on timeout. */
  public boolean awaitHandled(long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (position <= offset) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        progress.wait(left);
      }
    }
    return true;
  }

  private void run() {
    TopicPartition tp = new TopicPartition(topic, 0);
    try {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = endOffset(tp);
      if (end <= 0) {
        caughtUp.countDown();
      }
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          try {
            handler.record(r.key(), r.value());
          } catch (RuntimeException e) {
            LOG.warn("{}: record at offset {} skipped: {}", topic, r.offset(), e.getMessage());
          }
        }
        long at = consumer.position(tp);
        synchronized (progress) {
          position = at;
          progress.notifyAll();
        }
        if (at >= end) {
          caughtUp.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("{}: follower stopped: {}", topic, e.toString());
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private long endOffset(TopicPartition tp) {
    while (running) {
      try {
        Map<TopicPartition, Long> end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(10));
        return end.getOrDefault(tp, 0L);
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.info("{}: Kafka does not answer yet; retrying", topic);
      }
    }
    return 0;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
