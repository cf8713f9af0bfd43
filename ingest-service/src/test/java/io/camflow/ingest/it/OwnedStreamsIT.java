package io.camflow.ingest.it;

import static io.camflow.ingest.it.IngestFixture.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.ingest.config.StreamConfig;
import io.camflow.ingest.ownership.StreamOwnership;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.media.record.MediaRecordFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The ownership gate of one ingest service (real broker, the built-in synthetic camera): it pulls
 * only the streams it owns, remembers the others — from the file and added while it runs — and
 * starts them when ownership arrives; when ownership goes, the pull has stopped by the time {@code
 * reconcile} returns. Which instance owns what is the consumer group's business ({@code
 * IngestFailoverIT}); here the test decides.
 */
class OwnedStreamsIT {

  private static final String URL = "synthetic:testsrc?size=160x120&rate=25&gop=10&bitrate=200k";
  private static final String CONFIG =
      """
      cameras:
        owncam:
          streams:
            main:
              url: %s
              mode: always
            sub:
              url: %s
              mode: always
      """
          .formatted(URL, URL);

  /** Ownership as the test says. */
  static final class Granted implements StreamOwnership {
    final Set<String> owned = ConcurrentHashMap.newKeySet();
    Runnable changed = () -> {};

    @Override
    public boolean owns(String streamKey) {
      return owned.contains(streamKey);
    }

    @Override
    public void start(Runnable changed) {
      this.changed = changed;
    }

    @Override
    public void close() {
      owned.clear();
      changed.run();
    }
  }

  @Test
  void pullsOnlyOwnedStreamsAndFollowsOwnership() throws Exception {
    Granted ownership = new Granted();
    ownership.owned.add("owncam/main");
    try (IngestFixture f = new IngestFixture(CONFIG, Map.of(), ownership)) {
      String main = "camflow.media.owncam.main";
      String sub = "camflow.media.owncam.sub";
      assertTrue(
          f.read(main, Duration.ofSeconds(20), l -> l.size() >= 5).size() >= 5,
          "the owned stream is pulled");
      assertEquals(List.of("owncam/main"), f.service.pulledStreams());
      assertEquals(
          0,
          f.read(sub, Duration.ofSeconds(1), l -> false).size(),
          "a stream it does not own is not");

      // a stream added while not owned is remembered, and pulled once owned
      StreamConfig m = f.service.config().streams().get(0);
      StreamConfig added =
          new StreamConfig(
              "owncam",
              "extra",
              m.url(),
              null,
              null,
              m.transport(),
              m.mode(),
              m.idleGrace(),
              m.readTimeout(),
              m.backoff());
      try (TopicProvisioner p =
          new TopicProvisioner(f.kafka.bootstrapServers())) { // as RegistrySync does
        p.ensure(
            List.of(TopicProvisioner.streamTopic(added.topic(), Duration.ofHours(1))),
            Duration.ofSeconds(30));
      }
      f.service.putStream(added);
      assertEquals(List.of("owncam/main"), f.service.pulledStreams());
      ownership.owned.addAll(Set.of("owncam/sub", "owncam/extra"));
      ownership.changed.run();
      assertEquals(List.of("owncam/extra", "owncam/main", "owncam/sub"), f.service.pulledStreams());
      assertTrue(
          f.read(sub, Duration.ofSeconds(20), l -> l.size() >= 5).size() >= 5,
          "sub pulled once owned");
      assertTrue(
          f.read("camflow.media.owncam.extra", Duration.ofSeconds(20), l -> l.size() >= 5).size()
              >= 5,
          "the added stream pulled once owned");

      // ownership goes: when reconcile returns, the pull has ended and nothing more is written
      ownership.owned.remove("owncam/main");
      ownership.changed.run();
      assertEquals(List.of("owncam/extra", "owncam/sub"), f.service.pulledStreams());
      Thread.sleep(1500); // sends already handed to the producer land
      List<ConsumerRecord<byte[], byte[]>> stopped =
          f.read(main, Duration.ofSeconds(2), l -> false);
      Thread.sleep(2000);
      assertEquals(
          stopped.size(),
          f.read(main, Duration.ofSeconds(2), l -> false).size(),
          "no record of a stream after it was given up");
      assertEquals(
          1,
          stopped.stream().map(r -> header(r, MediaRecordFormat.SESSION)).distinct().count(),
          "one session while it was owned");
      assertEquals(
          "it-" + ProcessHandle.current().pid(),
          header(stopped.get(0), MediaRecordFormat.INSTANCE),
          "records name the instance that pulled them");
    }
  }
}
