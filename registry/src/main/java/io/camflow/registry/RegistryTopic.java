package io.camflow.registry;

import io.camflow.media.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The control topics delivery and ingest both read, with the settings each creates them with, so
 * whichever service starts first makes them the same way.
 */
public final class RegistryTopic {

  /**
   * The camera registry: key = camera id, value = {@link CameraRecordFormat}, tombstone = removed.
   */
  public static final String CAMERAS = Topics.CAMERAS;

  public static final String STATUS = Topics.STATUS;

  private RegistryTopic() {}

  /**
   * Compacted, one partition (one order of changes), kept forever (the latest value per camera).
   */
  public static NewTopic cameras() {
    return new NewTopic(CAMERAS, 1, (short) 1)
        .configs(
            Map.of(
                "cleanup.policy",
                "compact",
                "min.compaction.lag.ms",
                "0",
                "delete.retention.ms",
                Long.toString(Duration.ofDays(1).toMillis()),
                "max.message.bytes",
                Integer.toString(1024 * 1024)));
  }

  /** Per-stream state from ingest; the same settings as ingest's TopicProvisioner. */
  public static NewTopic status() {
    return new NewTopic(STATUS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"));
  }

  /** Creates those of {@code topics} that do not exist yet. */
  public static void ensure(String bootstrapServers, List<NewTopic> topics, Duration timeout)
      throws InterruptedException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "camflow-registry-admin");
    try (Admin admin = Admin.create(p)) {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      TopicReplication replication = TopicReplication.current();
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t.name()))
              .map(replication::apply)
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException(
            "cannot create "
                + topics.stream().map(NewTopic::name).toList()
                + ": "
                + e.getCause().getMessage(),
            e.getCause());
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + timeout.toSeconds() + " s", e);
    }
  }
}
