package io.camflow.ingest.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.camflow.media.StreamKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

  @Test
  void aStreamHasItsMediaCmafIndexAndThumbnailTopicsWithTheCamerasRetention() {
    List<NewTopic> topics =
        TopicProvisioner.streamTopics(new StreamKey("garage", "main"), Duration.ofHours(2));
    assertEquals(
        List.of(
            "camflow.media.garage.main",
            "camflow.cmaf.garage.main",
            "camflow.index.garage.main",
            "camflow.thumbs.garage.main"),
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

  /**
   * A size bound caps the access-unit and CMAF topics, each; the tiny index and thumbnails stay by
   * time.
   */
  @Test
  void aSizeBoundCapsTheMediaAndCmafTopicsWithLogSegmentsATenthOfIt() {
    List<NewTopic> topics =
        TopicProvisioner.streamTopics(
            new StreamKey("garage", "main"), Duration.ofDays(7), 50_000_000_000L);
    for (NewTopic t : topics.subList(0, 2)) {
      assertEquals("50000000000", t.configs().get("retention.bytes"), t.name());
      assertEquals("1073741824", t.configs().get("segment.bytes"), t.name() + ": 5 GB, capped");
      assertEquals("604800000", t.configs().get("retention.ms"), t.name() + ": time still applies");
      assertEquals("3600000", t.configs().get("segment.ms"), t.name());
    }
    NewTopic index = topics.get(2);
    assertEquals("-1", index.configs().get("retention.bytes"));
    assertNull(index.configs().get("segment.bytes"));
    NewTopic thumbs = topics.get(3);
    assertEquals("-1", thumbs.configs().get("retention.bytes"), "thumbnails by time only");
    assertEquals("604800000", thumbs.configs().get("retention.ms"));
    assertEquals(
        Long.toString(Duration.ofDays(7).minusHours(1).toMillis()),
        index.configs().get("retention.ms"));

    NewTopic unbounded =
        TopicProvisioner.streamTopics(new StreamKey("garage", "main"), Duration.ofDays(7), null)
            .get(1);
    assertEquals("-1", unbounded.configs().get("retention.bytes"));
    assertNull(unbounded.configs().get("segment.bytes"), "the broker's log.segment.bytes");
  }

  /** Deletion overshoots the bound by at most one log segment: a tenth of it, 16 MiB to 1 GiB. */
  @Test
  void logSegmentsOfABoundedTopicAreATenthOfTheBoundWithinLimits() {
    assertEquals(16L << 20, TopicProvisioner.segmentBytes(100_000_000L), "a 4K keyframe fits");
    assertEquals(100_000_000L, TopicProvisioner.segmentBytes(1_000_000_000L));
    assertEquals(1L << 30, TopicProvisioner.segmentBytes(50_000_000_000L));
    assertEquals(1L << 30, TopicProvisioner.segmentBytes(1_000_000_000_000_000L));
  }

  /**
   * An existing topic is brought in line: the bound set, or, once it is removed, retention.bytes
   * back to -1 and segment.bytes back to the broker's default.
   */
  @Test
  void anExistingTopicFollowsTheBoundBothWays() {
    NewTopic bounded =
        TopicProvisioner.streamTopic("camflow.cmaf.garage.main", Duration.ofDays(1), 10L << 30);
    Map<String, AlterConfigOp> set = byName(TopicProvisioner.alignment(bounded.configs()));
    assertEquals(AlterConfigOp.OpType.SET, set.get("retention.bytes").opType());
    assertEquals("10737418240", set.get("retention.bytes").configEntry().value());
    assertEquals(AlterConfigOp.OpType.SET, set.get("segment.bytes").opType());
    assertEquals("1073741824", set.get("segment.bytes").configEntry().value());
    assertEquals("86400000", set.get("retention.ms").configEntry().value());

    NewTopic unbounded =
        TopicProvisioner.streamTopic("camflow.cmaf.garage.main", Duration.ofDays(1));
    Map<String, AlterConfigOp> reset = byName(TopicProvisioner.alignment(unbounded.configs()));
    assertEquals(AlterConfigOp.OpType.SET, reset.get("retention.bytes").opType());
    assertEquals("-1", reset.get("retention.bytes").configEntry().value());
    assertEquals(AlterConfigOp.OpType.DELETE, reset.get("segment.bytes").opType());

    // topics without a retention.bytes (the demand topic) keep whatever else they have
    NewTopic demand =
        TopicProvisioner.controlTopics().stream()
            .filter(t -> t.name().equals(TopicProvisioner.DEMAND_TOPIC))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of("retention.ms"),
        TopicProvisioner.alignment(demand.configs()).stream()
            .map(o -> o.configEntry().name())
            .toList());
  }

  private static Map<String, AlterConfigOp> byName(List<AlterConfigOp> ops) {
    return ops.stream()
        .collect(java.util.stream.Collectors.toMap(o -> o.configEntry().name(), o -> o));
  }
}
