package io.camflow.ingest.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camflow.media.StreamKey;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

  @Test
  void aStreamHasItsMediaCmafAndIndexTopicsWithTheCamerasRetention() {
    List<NewTopic> topics =
        TopicProvisioner.streamTopics(new StreamKey("garage", "main"), Duration.ofHours(2));
    assertEquals(
        List.of(
            "camflow.media.garage.main", "camflow.cmaf.garage.main", "camflow.index.garage.main"),
        topics.stream().map(NewTopic::name).toList());
    for (NewTopic t : topics) {
      boolean index = t.name().startsWith("camflow.index.");
      assertEquals(1, t.numPartitions(), t.name());
      // the index keeps one of its 12-minute log segments less: it never names a deleted segment
      assertEquals(index ? "6480000" : "7200000", t.configs().get("retention.ms"), t.name());
      assertEquals("720000", t.configs().get("segment.ms"), t.name());
      assertEquals("-1", t.configs().get("retention.bytes"), t.name());
      assertEquals("16777216", t.configs().get("max.message.bytes"), t.name());
      assertEquals("delete", t.configs().get("cleanup.policy"), t.name());
      assertEquals("CreateTime", t.configs().get("message.timestamp.type"), t.name());
    }
  }

  /** Deletion lags the retention by at most one log segment: a tenth of it, 1 min to 1 h. */
  @Test
  void logSegmentsAreATenthOfTheRetentionWithinBounds() {
    assertEquals(Duration.ofMinutes(1), TopicProvisioner.segmentDuration(Duration.ofMinutes(2)));
    assertEquals(Duration.ofMinutes(6), TopicProvisioner.segmentDuration(Duration.ofHours(1)));
    assertEquals(Duration.ofHours(1), TopicProvisioner.segmentDuration(Duration.ofHours(24)));
    assertEquals(Duration.ofHours(1), TopicProvisioner.segmentDuration(Duration.ofDays(3650)));
    assertEquals(
        Duration.ofSeconds(6), TopicProvisioner.indexSegmentDuration(Duration.ofMinutes(1)));
    assertEquals(Duration.ofHours(1), TopicProvisioner.indexSegmentDuration(Duration.ofDays(2)));
  }

  /** The shortest retention still leaves the index most of the window. */
  @Test
  void aOneMinuteRecordingKeepsItsIndexFor54Seconds() {
    NewTopic index =
        TopicProvisioner.streamTopics(new StreamKey("garage", "main"), Duration.ofMinutes(1))
            .get(2);
    assertEquals("54000", index.configs().get("retention.ms"));
    assertEquals("6000", index.configs().get("segment.ms"));
  }
}
