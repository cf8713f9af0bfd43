package io.camflow.delivery.hub;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The Kafka consumers the hubs' feeds hold now, per topic: each counted from its creation until it
 * is closed, on the feed's own thread, so the count is what exists, not what was asked for
 * (camflow_delivery_hub_topic_consumers{topic}; one per topic being read is the design).
 */
final class TopicConsumers {

  /** Meters a consumer while it runs (the Kafka client metrics); returns what ends that. */
  private volatile Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> clientMeter =
      c -> () -> {};

  private volatile MeterRegistry registry;
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  /** From now on: the client metrics of every consumer, and a gauge per topic read. */
  void meterWith(
      MeterRegistry registry, Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> clientMeter) {
    this.clientMeter = clientMeter;
    this.registry = registry;
    open.keySet().forEach(this::gauge);
  }

  /**
   * What a feed of {@code topic} hands its consumer to once created; closing the result uncounts
   * it.
   */
  Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> of(String topic) {
    return consumer -> {
      AtomicInteger n = counter(topic);
      n.incrementAndGet();
      AutoCloseable metered = clientMeter.apply(consumer);
      return () -> {
        try {
          metered.close();
        } finally {
          n.decrementAndGet();
        }
      };
    };
  }

  /** Consumers of {@code topic} now. */
  int count(String topic) {
    AtomicInteger n = open.get(topic);
    return n == null ? 0 : n.get();
  }

  private AtomicInteger counter(String topic) {
    AtomicInteger n = open.get(topic);
    if (n == null) {
      AtomicInteger created = new AtomicInteger();
      n = open.putIfAbsent(topic, created);
      if (n == null) {
        n = created;
        gauge(topic); // kept at 0 when the topic is no longer read: a stream's series does not come
        // and go
      }
    }
    return n;
  }

  private void gauge(String topic) {
    MeterRegistry r = registry;
    if (r != null) {
      Gauge.builder("camflow_delivery_hub_topic_consumers", this, t -> t.count(topic))
          .tag("topic", topic)
          .description("Kafka consumers the stream hubs hold for the topic")
          .register(r);
    }
  }
}
