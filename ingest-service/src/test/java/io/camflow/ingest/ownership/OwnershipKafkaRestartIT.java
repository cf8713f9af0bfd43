package io.camflow.ingest.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.ingest.ownership.MediaTopicWatch.Seen;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A 10 s broker outage under an ingest instance that pulls through the {@code camflow-ingest} group
 * (real broker stopped and restarted on the same data and ports, IngestMain as a process): the
 * instance keeps or regains ownership by itself and its streams go on, one source session at a
 * time, with records from before, during (buffered) and after the outage.
 */
class OwnershipKafkaRestartIT {

  static final Duration OUTAGE = Duration.ofSeconds(10);

  @Test
  void ownershipSurvivesABrokerOutage() throws Exception {
    Path work = Files.createTempDirectory("camflow-ownership-restart");
    int port = FreePorts.find();
    int controllerPort = FreePorts.find();
    LocalKafka kafka = LocalKafka.start(work.resolve("kafka"), port, controllerPort);
    String bootstrap = kafka.bootstrapServers(); // the same after the restart: same ports
    List<String> keys = List.of("krcam/main", "krcam/sub");
    List<String> topics = keys.stream().map(k -> "camflow.media." + k.replace('/', '.')).toList();
    String url = "synthetic:testsrc?size=160x120&rate=10&gop=10&bitrate=100k";
    Path config = work.resolve("camflow.yaml");
    Files.writeString(
        config,
        """
        kafka:
          bootstrapServers: %s
        defaults:
          mode: always
        cameras:
          krcam:
            streams:
              main:
                url: %s
              sub:
                url: %s
        """
            .formatted(kafka.bootstrapServers(), url, url));
    try (IngestProcess ingest = IngestProcess.start("kr-a", config, work, Map.of())) {
      MediaTopicWatch watch = null;
      try {
        IngestFailoverIT.await(
            () -> topicsExist(bootstrap),
            Duration.ofSeconds(90),
            () -> "ingest created its topics");
        watch = new MediaTopicWatch(kafka.bootstrapServers(), topics);
        MediaTopicWatch w = watch;
        IngestFailoverIT.await(
            () -> topics.stream().allMatch(t -> w.records(t).size() >= 20),
            Duration.ofSeconds(90),
            () -> "records before the outage; log:\n" + ingest.logTail(40));

        kafka.close();
        Thread.sleep(OUTAGE.toMillis());
        long restartedAt = System.currentTimeMillis() * 1000;
        kafka = LocalKafka.start(work.resolve("kafka"), port, controllerPort);

        long after = System.currentTimeMillis() * 1000 + 5_000_000;
        IngestFailoverIT.await(
            () ->
                topics.stream()
                    .allMatch(t -> w.records(t).stream().anyMatch(s -> s.receivedMicros() > after)),
            Duration.ofSeconds(60),
            () -> "records pulled after the restart; log:\n" + ingest.logTail(60));
        assertEquals(
            OwnershipSettings.DEFAULT_PARTITIONS,
            ingest.metric("camflow_ingest_owned_partitions"),
            "the instance owns every partition again");
        for (String t : topics) {
          List<Seen> records = w.records(t);
          IngestFailoverIT.assertOneSessionAtATime(t, records, false);
          Set<String> sessions =
              records.stream()
                  .map(Seen::session)
                  .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
          System.out.printf(
              "%s: %d records, sessions %d (restart at %d)%n",
              t, records.size(), sessions.size(), restartedAt);
          assertTrue(
              records.stream().allMatch(s -> "kr-a".equals(s.instance())), t + ": one instance");
        }
      } finally {
        if (watch != null) {
          watch.close();
        }
        ingest.close();
        kafka.close();
      }
    }
  }

  private static boolean topicsExist(String bootstrap) {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      return admin
          .listTopics()
          .names()
          .get()
          .containsAll(Set.of("camflow.media.krcam.main", "camflow.media.krcam.sub"));
    } catch (Exception e) {
      return false;
    }
  }
}
