package io.camflow.ingest.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.camflow.kafka.LocalKafka;
import io.camflow.media.StreamKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * A camera's retention on the real broker: its three topics are created with it, and a changed
 * retention (in the file or through the API: both provision through here) reaches topics that
 * exist, with the log segments that bound how late deletion comes.
 */
class TopicProvisionerIT {

  static final LocalKafka KAFKA = LocalKafka.shared();

  @Test
  void theCamerasRetentionReachesItsTopicsAndFollowsAChange() throws Exception {
    StreamKey key = new StreamKey("retcam", "main");
    List<String> topics = List.of(key.mediaTopic(), key.cmafTopic(), key.indexTopic());
    try (TopicProvisioner p = new TopicProvisioner(KAFKA.bootstrapServers())) {
      p.ensure(TopicProvisioner.streamTopics(key, Duration.ofHours(1)), Duration.ofSeconds(30));
      for (String t : topics) {
        assertEquals(
            "-1",
            config(t).get("retention.bytes"),
            t + ": by time only, whatever the broker's log.retention.bytes");
        // the index keeps one of its log segments less (it never names a deleted segment)
        boolean index = t.equals(key.indexTopic());
        assertEquals(index ? "3240000" : "3600000", config(t).get("retention.ms"), t);
        assertEquals("360000", config(t).get("segment.ms"), t);
        assertEquals("16777216", config(t).get("max.message.bytes"), t);
      }
      p.ensure(TopicProvisioner.streamTopics(key, Duration.ofDays(7)), Duration.ofSeconds(30));
      for (String t : topics) {
        boolean index = t.equals(key.indexTopic());
        Duration kept = index ? Duration.ofDays(7).minusHours(1) : Duration.ofDays(7);
        assertEquals(Long.toString(kept.toMillis()), config(t).get("retention.ms"), t);
        assertEquals("3600000", config(t).get("segment.ms"), t);
      }
    }
  }

  /** Topics made before retention.bytes was set (or by hand) lose the broker's size cap. */
  @Test
  void anExistingTopicCappedBySizeIsRecordedByTimeOnly() throws Exception {
    StreamKey key = new StreamKey("oldcam", "main");
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(key.mediaTopic(), 1, (short) 1)
                      .configs(Map.of("retention.bytes", "1073741824"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (TopicProvisioner p = new TopicProvisioner(KAFKA.bootstrapServers())) {
      p.ensure(TopicProvisioner.streamTopics(key, Duration.ofDays(1)), Duration.ofSeconds(30));
    }
    assertEquals("-1", config(key.mediaTopic()).get("retention.bytes"));
    assertEquals("86400000", config(key.mediaTopic()).get("retention.ms"));
  }

  /**
   * A size bound reaches the access-unit and CMAF topics (not the index), follows a change, and
   * once removed leaves them by time only with the broker's own log segments.
   */
  @Test
  void theCamerasSizeBoundReachesItsTopicsAndGoesWhenRemoved() throws Exception {
    StreamKey key = new StreamKey("sizecam", "main");
    List<String> bounded = List.of(key.mediaTopic(), key.cmafTopic());
    try (TopicProvisioner p = new TopicProvisioner(KAFKA.bootstrapServers())) {
      p.ensure(
          TopicProvisioner.streamTopics(key, Duration.ofDays(7), 500_000_000L),
          Duration.ofSeconds(30));
      for (String t : bounded) {
        assertEquals("500000000", config(t).get("retention.bytes"), t);
        assertEquals("50000000", config(t).get("segment.bytes"), t);
        assertEquals("604800000", config(t).get("retention.ms"), t + ": time applies too");
      }
      assertEquals("-1", config(key.indexTopic()).get("retention.bytes"));
      assertFalse(overridden(key.indexTopic(), "segment.bytes"), "the index stays by time");

      p.ensure(
          TopicProvisioner.streamTopics(key, Duration.ofDays(7), 50_000_000_000L),
          Duration.ofSeconds(30));
      for (String t : bounded) {
        assertEquals("50000000000", config(t).get("retention.bytes"), t);
        assertEquals("1073741824", config(t).get("segment.bytes"), t);
      }

      p.ensure(TopicProvisioner.streamTopics(key, Duration.ofDays(7)), Duration.ofSeconds(30));
      for (String t : bounded) {
        assertEquals("-1", config(t).get("retention.bytes"), t + ": by time only again");
        assertFalse(overridden(t, "segment.bytes"), t + ": the broker's log segments again");
      }
    }
  }

  /** Whether {@code name} is set on the topic itself rather than taken from the broker. */
  static boolean overridden(String topic, String name) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      return c.get(name).source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
    }
  }

  static Map<String, String> config(String topic) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      return c.entries().stream()
          .filter(e -> e.value() != null)
          .collect(Collectors.toMap(e -> e.name(), e -> e.value()));
    }
  }
}
