package io.camflow.registry;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes cameras to {@code camflow.cameras} (idempotent, {@code acks=all}) and waits for the
 * broker: an API change is answered only once it is durable. Returns the record's offset so the
 * caller can wait for its {@link CameraRegistry} to show it.
 */
public final class RegistryWriter implements AutoCloseable {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

  private final KafkaProducer<String, byte[]> producer;

  public RegistryWriter(String bootstrapServers, String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis()));
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Adds or replaces the camera; returns the record's offset. */
  public long put(CameraEntry camera) {
    return send(camera.id(), CameraRecordFormat.encode(camera));
  }

  /** Removes the camera (a tombstone); returns the record's offset. */
  public long remove(String id) {
    return send(id, null);
  }

  private long send(String key, byte[] value) {
    try {
      return producer
          .send(new ProducerRecord<>(RegistryTopic.CAMERAS, 0, key, value))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .offset();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new RegistryUnavailableException(
          "Kafka did not take the change: " + cause.getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
