package io.camflow.registry;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * How many brokers keep a copy of every topic camflow creates, from {@code
 * CAMFLOW_KAFKA_REPLICATION_FACTOR} (docs/configuration.md): 1 for a single broker (the default, as
 * {@code ./camflow up} and compose.yaml run), 3 on a production cluster. With a factor above 1 a
 * write counts (acks=all) once {@code min.insync.replicas} copies have it: 1 for a factor of 2, 2
 * from 3 on, so one broker may be down without writes stopping and without loss. Every topic is
 * created with these settings explicitly, never the broker's defaults.
 */
public record TopicReplication(short factor) {

  public static final String ENV = "CAMFLOW_KAFKA_REPLICATION_FACTOR";

  public TopicReplication {
    if (factor < 1 || factor > 7) {
      throw new IllegalArgumentException(ENV + " must be 1 to 7, is " + factor);
    }
  }

  /** {@code kafka.replicationFactor}. */
  public static TopicReplication from(Settings settings) {
    return new TopicReplication(settings.get(CamflowOptions.KAFKA_REPLICATION_FACTOR).shortValue());
  }

  /** The process's setting (its configuration file and environment), read once. */
  public static TopicReplication current() {
    return Current.VALUE;
  }

  /**
   * Holds the process's setting, read on first use (topics are created often, the file read once).
   */
  private static final class Current {
    static final TopicReplication VALUE = from(Settings.load());
  }

  public int minInsyncReplicas() {
    return Math.max(1, Math.min(2, factor - 1));
  }

  /** {@code topic} with this replication factor and its {@code min.insync.replicas}. */
  public NewTopic apply(NewTopic topic) {
    Map<String, String> configs =
        new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
    configs.put("min.insync.replicas", Integer.toString(minInsyncReplicas()));
    return new NewTopic(topic.name(), topic.numPartitions(), factor).configs(configs);
  }
}
