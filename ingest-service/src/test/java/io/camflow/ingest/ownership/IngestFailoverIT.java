package io.camflow.ingest.ownership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.ingest.ownership.MediaTopicWatch.Seen;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.kafka.LocalKafka;
import io.camflow.testsupport.TestCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two ingest-service processes share six real RTSP streams through the {@code camflow-ingest}
 * consumer group (issue 7): the second instance takes about half without disturbing the streams the
 * first keeps; kill -9 of the first moves its streams to the survivor within {@link
 * #FAILOVER_BOUND}; and each media topic shows source sessions one after another, never two
 * interleaved.
 */
class IngestFailoverIT {

  /**
   * Session timeout (6 s) + the survivor's next heartbeat (2 s) + one camera connect and first GOP.
   */
  static final Duration FAILOVER_BOUND = Duration.ofSeconds(20);

  static final String[] STREAMS = {"main", "sub"};

  static final LocalKafka KAFKA = LocalKafka.shared();
  static final List<TestCamera> CAMERAS = new ArrayList<>();
  static Path work;

  @BeforeAll
  static void cameras() throws Exception {
    work = Files.createTempDirectory("camflow-failover-it");
    // a camera per stream: two clients setting up one shared GStreamer media at the same moment
    // once
    // left a camera refusing connections
    for (int i = 0; i < 6; i++) {
      CAMERAS.add(
          TestCamera.builder()
              .codec(TestCamera.Codec.H264)
              .size(320, 240)
              .fps(15)
              .gop(15)
              .bitrateKbps(300)
              .start());
    }
  }

  @AfterAll
  static void stopCameras() {
    CAMERAS.forEach(TestCamera::close);
  }

  @Test
  void streamsSplitAcrossInstancesAndMoveToTheSurvivorWhenOneIsKilled() throws Exception {
    StreamPartitions partitions = OwnershipView.partitions(KAFKA.bootstrapServers());
    List<String> cameraIds = spreadCameraIds(partitions, new Random());
    List<String> keys = new ArrayList<>();
    StringBuilder yaml =
        new StringBuilder(
            "kafka:\n  bootstrapServers: "
                + KAFKA.bootstrapServers()
                + "\n"
                + "defaults:\n  mode: always\n  transport: tcp\n  backoff:\n    initial: 200ms\n    max: 2s\ncameras:\n");
    for (int i = 0; i < cameraIds.size(); i++) {
      yaml.append("  ").append(cameraIds.get(i)).append(":\n    streams:\n");
      for (String s : STREAMS) {
        yaml.append("      ")
            .append(s)
            .append(":\n        url: ")
            .append(CAMERAS.get(keys.size()).url())
            .append('\n');
        keys.add(cameraIds.get(i) + "/" + s);
      }
    }
    Path config = work.resolve("camflow.yaml");
    Files.writeString(config, yaml);
    Map<String, String> topicOf = new TreeMap<>();
    keys.forEach(k -> topicOf.put(k, "camflow.media." + k.replace('/', '.')));

    try (IngestProcess a = IngestProcess.start("fo-a", config, work, Map.of());
        MediaTopicWatch watch =
            new MediaTopicWatch(KAFKA.bootstrapServers(), List.copyOf(topicOf.values()))) {
      IngestProcess b = null;
      try {
        // a alone pulls all six
        await(
            () -> keys.stream().allMatch(k -> last(watch, topicOf.get(k), "fo-a") != null),
            Duration.ofSeconds(120),
            () -> "instance a pulls every stream; its log:\n" + a.logTail(40) + cameraErrors());
        Map<String, String> sessionsOfA = new HashMap<>();
        keys.forEach(k -> sessionsOfA.put(k, last(watch, topicOf.get(k), "fo-a").session()));

        // b joins: the group splits the partitions, each stream follows its partition
        b = IngestProcess.start("fo-b", config, work, Map.of());
        IngestProcess bb = b;
        Map<String, String> owners = new HashMap<>();
        await(
            () -> {
              Map<Integer, String> byPartition =
                  OwnershipView.partitionOwners(KAFKA.bootstrapServers());
              if (!byPartition.containsValue("fo-a") || !byPartition.containsValue("fo-b")) {
                return false;
              }
              owners.clear();
              keys.forEach(k -> owners.put(k, byPartition.get(partitions.of(k))));
              return keys.stream()
                  .allMatch(
                      k -> {
                        Seen latest = latest(watch, topicOf.get(k));
                        return latest != null
                            && owners.get(k).equals(latest.instance())
                            && recent(latest);
                      });
            },
            Duration.ofSeconds(90),
            () ->
                "every stream pulled by its partition's owner "
                    + owners
                    + "; b's log:\n"
                    + bb.logTail(40));
        List<String> onA = keys.stream().filter(k -> owners.get(k).equals("fo-a")).toList();
        List<String> onB = keys.stream().filter(k -> owners.get(k).equals("fo-b")).toList();
        assertFalse(onA.isEmpty(), "a keeps some streams: " + owners);
        assertFalse(onB.isEmpty(), "about half move to b: " + owners);
        for (String k : onA) { // cooperative: the streams a keeps were never stopped
          assertEquals(
              sessionsOfA.get(k),
              latest(watch, topicOf.get(k)).session(),
              k + " stayed on a without a reconnect");
        }

        // kill -9 a: its streams come back on b within the bound, b's own streams are untouched
        Map<String, String> sessionsOfB = new HashMap<>();
        onB.forEach(k -> sessionsOfB.put(k, latest(watch, topicOf.get(k)).session()));
        long killedAt = System.currentTimeMillis() * 1000;
        a.kill();
        await(
            () ->
                keys.stream()
                    .allMatch(k -> firstAfter(watch, topicOf.get(k), "fo-b", killedAt) != null),
            FAILOVER_BOUND.plusSeconds(30),
            () -> "every stream back on b; b's log:\n" + bb.logTail(40));
        long worst = 0;
        for (String k : onA) {
          long took =
              firstAfter(watch, topicOf.get(k), "fo-b", killedAt).receivedMicros() - killedAt;
          worst = Math.max(worst, took);
          System.out.printf("failover %s: %d ms%n", k, took / 1000);
        }
        assertTrue(
            worst <= FAILOVER_BOUND.toNanos() / 1000,
            "every moved stream resumed within "
                + FAILOVER_BOUND
                + ", the slowest after "
                + worst / 1000
                + " ms");
        for (String k : onB) {
          assertEquals(
              sessionsOfB.get(k),
              latest(watch, topicOf.get(k)).session(),
              k + " stayed on b untouched");
        }

        Thread.sleep(1000); // the last records in flight
        for (String k : keys) {
          assertOneSessionAtATime(topicOf.get(k), watch.records(topicOf.get(k)));
        }
        assertEquals(
            keys.size(),
            bb.metric("camflow_ingest_pulled_streams"),
            "b's metrics: it pulls all six");
        assertEquals(
            partitions.count(),
            bb.metric("camflow_ingest_owned_partitions"),
            "b owns every partition");
        Map<String, String> status = latestStatus(keys);
        for (String k : keys) {
          assertTrue(
              status.getOrDefault(k, "").contains("\"instance\":\"fo-b\""),
              k + ": its status names the survivor: " + status.get(k));
        }
      } finally {
        if (b != null) {
          b.close();
        }
      }
    }
  }

  /** What the cameras said on stderr, for failure messages (a camera that died explains a lot). */
  static String cameraErrors() {
    StringBuilder b = new StringBuilder();
    for (TestCamera c : CAMERAS) {
      b.append("\ncamera ").append(c.url()).append(" stderr:\n").append(c.stderr());
    }
    return b.toString();
  }

  /**
   * Sessions follow one another: once a session's first record is in the topic, no record of an
   * earlier session comes after it. Each session comes from one instance.
   */
  static void assertOneSessionAtATime(String topic, List<Seen> records) {
    assertOneSessionAtATime(topic, records, true);
  }

  /**
   * @param handover whether the topic must show at least one session ending and another starting
   */
  static void assertOneSessionAtATime(String topic, List<Seen> records, boolean handover) {
    Set<String> ended = new HashSet<>();
    Map<String, String> instanceOf = new HashMap<>();
    String current = null;
    for (Seen s : records) {
      String previous = instanceOf.putIfAbsent(s.session(), s.instance());
      assertEquals(
          previous == null ? s.instance() : previous,
          s.instance(),
          topic + ": one session, one instance");
      if (!s.session().equals(current)) {
        assertFalse(
            ended.contains(s.session()),
            topic
                + ": session "
                + s.session()
                + " of "
                + s.instance()
                + " has a record at offset "
                + s.offset()
                + " after a later session began");
        if (current != null) {
          ended.add(current);
        }
        current = s.session();
      }
    }
    if (handover) {
      assertTrue(ended.size() >= 1, topic + ": at least the handover from a to b: " + instanceOf);
    }
  }

  /**
   * Three unique camera ids whose six streams land on six different partitions, half in each half
   * of the partition range and half on even ones: however the group halves the partitions between
   * two instances (in ranges or alternately), each gets streams.
   */
  static List<String> spreadCameraIds(StreamPartitions partitions, Random random) {
    while (true) {
      List<String> ids = new ArrayList<>();
      Set<Integer> used = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        String id = "fo" + Integer.toString(random.nextInt(1 << 30), 36);
        ids.add(id);
        for (String s : STREAMS) {
          used.add(partitions.of(id + "/" + s));
        }
      }
      long low = used.stream().filter(p -> p < partitions.count() / 2).count();
      long even = used.stream().filter(p -> p % 2 == 0).count();
      if (used.size() == 6 && low == 3 && even == 3) {
        return ids;
      }
    }
  }

  static Seen latest(MediaTopicWatch watch, String topic) {
    List<Seen> all = watch.records(topic);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  static Seen last(MediaTopicWatch watch, String topic, String instance) {
    List<Seen> all = watch.records(topic);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (instance.equals(all.get(i).instance())) {
        return all.get(i);
      }
    }
    return null;
  }

  static Seen firstAfter(MediaTopicWatch watch, String topic, String instance, long micros) {
    return watch.records(topic).stream()
        .filter(s -> instance.equals(s.instance()) && s.receivedMicros() > micros)
        .findFirst()
        .orElse(null);
  }

  static boolean recent(Seen s) {
    return System.currentTimeMillis() * 1000 - s.receivedMicros() < 2_000_000;
  }

  /** The latest status JSON per stream from camflow.status. */
  static Map<String, String> latestStatus(List<String> keys) {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    Map<String, String> latest = new HashMap<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(TopicProvisioner.STATUS_TOPIC, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          if (keys.contains(r.key())) {
            latest.put(r.key(), r.value());
          }
        }
      }
    }
    return latest;
  }

  static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
      }
      Thread.sleep(200);
    }
  }
}
