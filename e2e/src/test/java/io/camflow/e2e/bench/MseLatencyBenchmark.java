package io.camflow.e2e.bench;

import io.camflow.kafka.LocalKafka;
import io.camflow.media.WallClock;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.MediaRecordFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark (not a test): the latency the live path adds for WebSocket/MSE viewers, from the moment
 * ingest had an access unit complete (wall clock, the records' {@code camflow.received.us}, carried
 * by the packager onto the chunk) to the moment delivery's write of that fragment to a viewer's
 * socket completed: delivery's own {@code camflow_delivery_added_latency_seconds} samples ({@code
 * AddedLatency}), taken in this process. Camera, Kafka broker and viewers are processes of their
 * own; ingest, packager and delivery run in this JVM ({@link MsePipeline}), as in {@link
 * MseBenchmark}. The viewers ({@link FanoutClients}) run in a child JVM and keep up.
 *
 * <p>Also shown, from a Kafka consumer in this process: receipt minus the media record's timestamp
 * (the capture clock: the camera's RTCP/NTP time when it sends sender reports, so it is not the
 * receipt time), and receipt → chunk record readable by a consumer (ingest + Kafka + packager +
 * Kafka).
 *
 * <p>Run with {@code ./camflow bench mse-latency [-Dviewers=1,100 -Dseconds=60 -Dwidth=1280
 * -Dheight=720 -Dgop=50 -Dkbps=4000 -Dpattern=ball]}.
 */
public final class MseLatencyBenchmark {

  public static void main(String[] args) throws Exception {
    int[] viewerCounts =
        Arrays.stream(System.getProperty("viewers", "1,100").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    int seconds = Integer.getInteger("seconds", 60);
    int gop = Integer.getInteger("gop", 50);
    int most = Arrays.stream(viewerCounts).max().orElse(1);
    try (MsePipeline p =
        new MsePipeline(
            Integer.getInteger("width", 1280),
            Integer.getInteger("height", 720),
            gop,
            Integer.getInteger("kbps", 4000),
            most + 50)) {
      MseBenchmark.warm(p);
      System.out.printf(
          Locale.ROOT,
          "camera %dx%d 25 fps, GOP %d, %d kbit/s, pattern %s; %d cores%n",
          p.camera.width(),
          p.camera.height(),
          gop,
          p.camera.bitrateKbps(),
          System.getProperty("pattern", "ball"),
          Runtime.getRuntime().availableProcessors());
      LatencySamples added = new LatencySamples(most * 25 * (seconds + 30) * 2);
      p.delivery.mseViewers().addedLatency().onSample(added);
      LatencySamples capture = new LatencySamples(25 * (seconds + 30) * 2 * viewerCounts.length);
      LatencySamples chunk = new LatencySamples(25 * (seconds + 30) * 2 * viewerCounts.length);
      Thread follower =
          new Thread(
              () -> follow(LocalKafka.shared().bootstrapServers(), capture, chunk), "bench-kafka");
      follower.setDaemon(true);
      follower.start();
      for (int viewers : viewerCounts) {
        try (ClientProcess clients = ClientProcess.start(p.mseUrl(), viewers, 25)) {
          Thread.sleep(5_000); // the GOP bursts are out
          ClientProcess.Counts c0 = clients.counts();
          String load0 = loadAverage();
          added.start();
          capture.start();
          chunk.start();
          long t0 = System.nanoTime();
          Thread.sleep(seconds * 1000L);
          long[] a = added.stop();
          long[] cap = capture.stop();
          long[] ch = chunk.stop();
          double elapsed = (System.nanoTime() - t0) / 1e9;
          ClientProcess.Counts c1 = clients.counts();
          long[] fps = new long[c1.fragments().length];
          for (int i = 0; i < fps.length; i++) {
            fps[i] = Math.round((c1.fragments()[i] - c0.fragments()[i]) / elapsed * 10);
          }
          Arrays.sort(fps);
          System.out.printf(
              Locale.ROOT,
              "%d viewer(s), %.0f s; load average before %s, after %s%n",
              viewers,
              elapsed,
              load0,
              loadAverage());
          System.out.println(
              "  ingest receipt → fragment written to a viewer's socket: "
                  + LatencySamples.summary(a));
          System.out.println(
              "  ingest receipt → chunk record read by a Kafka consumer: "
                  + LatencySamples.summary(ch));
          System.out.println(
              "  ingest receipt − media record timestamp (capture clock): " + signed(cap));
          System.out.printf(
              Locale.ROOT,
              "  fragments/s per viewer: min %.1f median %.1f; dropped events %d%n",
              fps[0] / 10.0,
              fps[fps.length / 2] / 10.0,
              c1.dropped() - c0.dropped());
        }
      }
    }
    System.exit(0);
  }

  /** Samples of media records (receipt − capture) and of chunk records (now − receipt). */
  private static void follow(String bootstrap, LatencySamples capture, LatencySamples chunk) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.partition.fetch.bytes", "16778240");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          List.of(
              new TopicPartition("camflow.media.bench.main", 0),
              new TopicPartition("camflow.cmaf.bench.main", 0));
      c.assign(tps);
      c.seekToEnd(tps);
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          long now = WallClock.micros();
          Map<String, byte[]> h = new HashMap<>();
          for (Header header : r.headers()) {
            h.put(header.key(), header.value());
          }
          long received = MediaRecordFormat.receivedMicros(h);
          if (received == MediaRecordFormat.RECEIVED_UNKNOWN) {
            continue;
          }
          if (r.topic().startsWith("camflow.media.")) {
            capture.accept(received - r.timestamp() * 1000);
          } else if (CmafRecord.decode(h, r.value()) instanceof CmafRecord.Chunk) {
            chunk.accept(now - received);
          }
        }
      }
    }
  }

  private static String signed(long[] sorted) {
    if (sorted.length == 0) {
      return "no sample";
    }
    return String.format(
        Locale.ROOT,
        "n=%d min %.1f p50 %.1f max %.1f ms",
        sorted.length,
        sorted[0] / 1e3,
        LatencySamples.pct(sorted, 50) / 1e3,
        sorted[sorted.length - 1] / 1e3);
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
