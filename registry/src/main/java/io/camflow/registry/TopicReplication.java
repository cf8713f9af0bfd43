package io.camflow.registry;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * How many brokers keep a copy of every topic camflow creates, from
 * {@code CAMFLOW_KAFKA_REPLICATION_FACTOR} (docs/configuration.md): 1 for a single broker (the
 * default, as {@code ./camflow up} and compose.yaml run), 3 on a production cluster. With a factor
 * above 1 a write counts (acks=all) once {@code min.insync.replicas} copies have it: 1 for a factor
 * of 2, 2 from 3 on, so one broker may be down without writes stopping and without loss. Every
 * topic is created with these settings explicitly, never the broker's defaults.
 */
public record TopicReplication(short factor) {

  public static final String ENV = "CAMFLOW_KAFKA_REPLICATION_FACTOR";

  public TopicReplication {
    if (factor < 1 || factor > 7) {
      throw new IllegalArgumentException(ENV + " must be 1 to 7, is " + factor);
    }
  }

  /** @throws IllegalArgumentException naming the variable when it is not a number from 1 to 7 */
  public static TopicReplication fromEnvironment(Map<String, String> env) {
    String v = env.get(ENV);
    if (v == null || v.isBlank()) {
      return new TopicReplication((short) 1);
    }
    try {
      return new TopicReplication(Short.parseShort(v.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ENV + " must be a whole number from 1 to 7, is '" + v + "'");
    }
  }

  /** The process's setting. */
  public static TopicReplication current() {
    return fromEnvironment(System.getenv());
  }

  public int minInsyncReplicas() {
    return Math.max(1, Math.min(2, factor - 1));
  }

  /** {@code topic} with this replication factor and its {@code min.insync.replicas}. */
  public NewTopic apply(NewTopic topic) {
    Map<String, String> configs = new HashMap<>(topic.configs() == null ? Map.of() : topic.configs());
    configs.put("min.insync.replicas", Integer.toString(minInsyncReplicas()));
    return new NewTopic(topic.name(), topic.numPartitions(), factor).configs(configs);
  }
}
