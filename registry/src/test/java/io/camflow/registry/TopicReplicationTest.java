package io.camflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicReplicationTest {

  @Test
  void oneCopyUnlessConfigured() {
    assertEquals(
        1, TopicReplication.from(io.camflow.options.Settings.fromEnvironment(Map.of())).factor());
    assertEquals(
        1,
        TopicReplication.from(
                io.camflow.options.Settings.fromEnvironment(Map.of(TopicReplication.ENV, " ")))
            .factor());
    assertEquals(
        3,
        TopicReplication.from(
                io.camflow.options.Settings.fromEnvironment(Map.of(TopicReplication.ENV, "3")))
            .factor());
  }

  @Test
  void writesNeedEnoughCopiesButSurviveOneBrokerDown() {
    assertEquals(1, new TopicReplication((short) 1).minInsyncReplicas());
    assertEquals(1, new TopicReplication((short) 2).minInsyncReplicas());
    assertEquals(2, new TopicReplication((short) 3).minInsyncReplicas());
    assertEquals(2, new TopicReplication((short) 5).minInsyncReplicas());
  }

  @Test
  void appliedToATopicKeepsItsOwnSettings() {
    NewTopic t =
        new TopicReplication((short) 3)
            .apply(
                new NewTopic("camflow.media.a.main", 1, (short) 1)
                    .configs(Map.of("retention.ms", "60000")));
    assertEquals(3, t.replicationFactor());
    assertEquals(1, t.numPartitions());
    assertEquals(Map.of("retention.ms", "60000", "min.insync.replicas", "2"), t.configs());
  }

  @Test
  void badValuesNameTheVariable() {
    for (String bad : new String[] {"0", "8", "three", "-1"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  TopicReplication.from(
                      io.camflow.options.Settings.fromEnvironment(
                          Map.of(TopicReplication.ENV, bad))));
      assertTrue(e.getMessage().contains("\n  " + TopicReplication.ENV + ": "), e.getMessage());
    }
  }
}
