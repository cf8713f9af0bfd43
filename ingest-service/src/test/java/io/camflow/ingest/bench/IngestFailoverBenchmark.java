package io.camflow.ingest.bench;

import io.camflow.ingest.ownership.IngestProcess;
import io.camflow.ingest.ownership.MediaTopicWatch;
import io.camflow.ingest.ownership.MediaTopicWatch.Seen;
import io.camflow.ingest.ownership.OwnershipView;
import io.camflow.ingest.ownership.StreamPartitions;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark (not a test): ingest failover time at many streams. Two ingest-service processes share
 * {@code -Dstreams=50} synthetic streams through the {@code camflow-ingest} group on a fresh local
 * broker; once each pulls its half, the one with more streams is killed with SIGKILL and, for every
 * stream it owned, the time from the kill to the survivor's first record of that stream is measured
 * (the record's {@code camflow.received.us}: same machine, same clock).
 *
 * <p>Run with {@code ./camflow bench ingest-failover} (options: {@code -Dstreams=50
 * -Dsource=synthetic:testsrc?size=160x120&rate=10&gop=10&bitrate=100k}).
 */
public final class IngestFailoverBenchmark {

  public static void main(String[] args) throws Exception {
    int streams = Integer.getInteger("streams", 50);
    String source =
        System.getProperty("source", "synthetic:testsrc?size=160x120&rate=10&gop=10&bitrate=100k");
    Path work = Files.createTempDirectory("camflow-bench-failover");
    try (LocalKafka kafka =
        LocalKafka.start(work.resolve("kafka"), FreePorts.find(), FreePorts.find())) {
      StringBuilder yaml =
          new StringBuilder(
              "kafka:\n  bootstrapServers: "
                  + kafka.bootstrapServers()
                  + "\n"
                  + "limits:\n  maxCameraConnections: "
                  + Math.max(64, streams)
                  + "\n"
                  + "defaults:\n  mode: always\n  backoff:\n    initial: 200ms\n    max: 2s\ncameras:\n");
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        yaml.append("  bench")
            .append(i)
            .append(":\n    streams:\n      main:\n        url: ")
            .append(source)
            .append('\n');
        keys.add("bench" + i + "/main");
      }
      Path config = work.resolve("camflow.yaml");
      Files.writeString(config, yaml);
      StreamPartitions partitions = OwnershipView.partitions(kafka.bootstrapServers());
      List<String> topics = keys.stream().map(k -> "camflow.media." + k.replace('/', '.')).toList();
      try (TopicProvisioner p =
          new TopicProvisioner(kafka.bootstrapServers())) { // as ingest will, before watching
        p.ensure(
            topics.stream().map(t -> TopicProvisioner.streamTopic(t, Duration.ofHours(1))).toList(),
            Duration.ofSeconds(30));
      }
      System.out.printf(
          "%d streams (%s), %d ownership partitions; load average %s%n",
          streams, source, partitions.count(), loadAverage());

      try (IngestProcess a = IngestProcess.start("bench-a", config, work, Map.of());
          MediaTopicWatch watch = new MediaTopicWatch(kafka.bootstrapServers(), topics)) {
        await(
            () -> topics.stream().allMatch(t -> latest(watch, t) != null),
            Duration.ofMinutes(5),
            "bench-a pulls every stream (log " + work + ")");
        try (IngestProcess b = IngestProcess.start("bench-b", config, work, Map.of())) {
          Map<Integer, String>[] owners = new Map[1];
          await(
              () -> {
                owners[0] = OwnershipView.partitionOwners(kafka.bootstrapServers());
                return owners[0].containsValue("bench-a")
                    && owners[0].containsValue("bench-b")
                    && keys.stream()
                        .allMatch(
                            k -> {
                              Seen s = latest(watch, topics.get(keys.indexOf(k)));
                              return s != null
                                  && owners[0].get(partitions.of(k)).equals(s.instance())
                                  && System.currentTimeMillis() * 1000 - s.receivedMicros()
                                      < 2_000_000;
                            });
              },
              Duration.ofMinutes(3),
              "every stream on its partition's owner (logs in " + work + ")");
          long onA =
              keys.stream().filter(k -> owners[0].get(partitions.of(k)).equals("bench-a")).count();
          IngestProcess victim = onA >= streams - onA ? a : b;
          IngestProcess survivor = victim == a ? b : a;
          List<String> moved =
              keys.stream()
                  .filter(k -> owners[0].get(partitions.of(k)).equals(victim.instanceId()))
                  .toList();
          System.out.printf(
              "split: bench-a %d streams, bench-b %d; load average %s%n",
              onA, streams - onA, loadAverage());
          Thread.sleep(5_000); // steady state
          long killedAt = System.currentTimeMillis() * 1000;
          victim.kill();
          await(
              () ->
                  moved.stream()
                      .allMatch(
                          k ->
                              firstAfter(watch, topic(k), survivor.instanceId(), killedAt) != null),
              Duration.ofMinutes(2),
              "every moved stream on " + survivor.instanceId());
          List<Long> millis = new ArrayList<>();
          for (String k : moved) {
            millis.add(
                (firstAfter(watch, topic(k), survivor.instanceId(), killedAt).receivedMicros()
                        - killedAt)
                    / 1000);
          }
          millis.sort(null);
          System.out.printf(
              Locale.ROOT,
              "kill -9 %s: %d streams moved to %s; kill → first record of each: min %d ms, median %d ms, "
                  + "p90 %d ms, max %d ms%n",
              victim.instanceId(),
              moved.size(),
              survivor.instanceId(),
              millis.get(0),
              millis.get(millis.size() / 2),
              millis.get((int) Math.ceil(millis.size() * 0.9) - 1),
              millis.get(millis.size() - 1));
          System.out.printf("load average after: %s%n", loadAverage());
        }
      }
    }
  }

  private static String topic(String key) {
    return "camflow.media." + key.replace('/', '.');
  }

  private static Seen latest(MediaTopicWatch watch, String topic) {
    List<Seen> all = watch.records(topic);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private static Seen firstAfter(
      MediaTopicWatch watch, String topic, String instance, long micros) {
    return watch.records(topic).stream()
        .filter(s -> instance.equals(s.instance()) && s.receivedMicros() > micros)
        .findFirst()
        .orElse(null);
  }

  private static String loadAverage() throws java.io.IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0]
        + " "
        + f[1]
        + " "
        + f[2]
        + " ("
        + Runtime.getRuntime().availableProcessors()
        + " cores)";
  }

  private static void await(
      java.util.function.BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(250);
    }
  }
}
