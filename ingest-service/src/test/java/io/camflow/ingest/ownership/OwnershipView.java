package io.camflow.ingest.ownership;

import io.camflow.ingest.topics.TopicProvisioner;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/** The ingest ownership group as any Kafka admin tool sees it: who owns which partition. */
public final class OwnershipView {

  private OwnershipView() {}

  /**
   * The ownership topic, created as IngestMain creates it when missing; its real partition count.
   */
  public static StreamPartitions partitions(String bootstrapServers) throws Exception {
    try (TopicProvisioner p = new TopicProvisioner(bootstrapServers)) {
      p.ensure(
          List.of(
              TopicProvisioner.ownershipTopic(
                  GroupOwnership.TOPIC, OwnershipSettings.DEFAULT_PARTITIONS)),
          Duration.ofSeconds(30));
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      return new StreamPartitions(
          admin
              .describeTopics(List.of(GroupOwnership.TOPIC))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(GroupOwnership.TOPIC)
              .partitions()
              .size());
    }
  }

  /**
   * Partition → instance id, from the group's members (client id {@code
   * camflow-ingest-ownership-<id>}); empty when unknown.
   */
  public static Map<Integer, String> partitionOwners(String bootstrapServers) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      ConsumerGroupDescription group =
          admin
              .describeConsumerGroups(List.of(GroupOwnership.GROUP))
              .all()
              .get(10, TimeUnit.SECONDS)
              .get(GroupOwnership.GROUP);
      Map<Integer, String> owners = new HashMap<>();
      for (MemberDescription m : group.members()) {
        String instance = m.clientId().replaceFirst("^camflow-ingest-ownership-", "");
        for (TopicPartition tp : m.assignment().topicPartitions()) {
          owners.put(tp.partition(), instance);
        }
      }
      return owners;
    } catch (Exception e) {
      return Map.of();
    }
  }
}
