package io.camflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.media.StreamKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The stream topics ingest creates at start for the cameras of config/camflow.yaml. */
class IngestServiceTopicsTest {

  /**
   * A published stream has no route (it is not among the streams ingest pulls) but its topics, the
   * same as a pulled one's: its publisher writes the media topic, the packager reads it.
   */
  @Test
  void aPublishedStreamGetsItsTopicsAndNoRoute() {
    CamflowConfig config =
        ConfigLoader.parse(
            """
            cameras:
              studio:
                dvr: {retention: 2h, maxSize: 50GB}
                streams:
                  main: {source: publish}
                  sub: synthetic:testsrc
            """,
            "camflow.yaml",
            Map.of());
    assertEquals(List.of("studio/sub"), config.streams().stream().map(s -> s.key()).toList());
    List<NewTopic> topics = IngestService.streamTopics(config);
    assertEquals(
        List.of(
            "camflow.media.studio.sub",
            "camflow.cmaf.studio.sub",
            "camflow.index.studio.sub",
            "camflow.thumbs.studio.sub",
            "camflow.media.studio.main",
            "camflow.cmaf.studio.main",
            "camflow.index.studio.main",
            "camflow.thumbs.studio.main"),
        topics.stream().map(NewTopic::name).toList());
    assertEquals(
        TopicProvisioner.streamTopics(
            new StreamKey("studio", "main"), Duration.ofHours(2), 50_000_000_000L),
        topics.subList(4, 8));
  }
}
