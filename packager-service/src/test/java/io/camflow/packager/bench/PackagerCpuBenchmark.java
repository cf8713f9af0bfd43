package io.camflow.packager.bench;

import io.camflow.kafka.LocalKafka;
import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.packager.audio.G711Tone;
import io.camflow.testsupport.EncodedStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Benchmark (not a test): CPU and memory of packager-service packaging one 1080p25 ~4 Mbps H.264
 * stream. A real libx264 encoding (Debian's FFmpeg, noise so the bit rate is real) is produced in a
 * loop at camera pace into a media topic on a real local broker; PackagerMain runs as its own
 * process and is measured from /proc over a window after a warm-up. With {@code -Daudio=pcma} (or
 * {@code pcmu}) a G.711 camera's audio goes with it — a 440 Hz tone made by Debian's FFmpeg, two 20
 * ms records per video frame, the usual packet time of IP cameras — which the packager transcodes
 * to AAC.
 *
 * <p>Run with {@code ./camflow bench packager-cpu} (options: {@code -Dwarmup=15 -Dseconds=60
 * -Daudio=none|pcma|pcmu}).
 */
public final class PackagerCpuBenchmark {

  public static void main(String[] args) throws Exception {
    int warmup = Integer.getInteger("warmup", 15);
    int seconds = Integer.getInteger("seconds", 60);
    Codec audio =
        switch (System.getProperty("audio", "none")) {
          case "none" -> null;
          case "pcma" -> Codec.PCMA;
          case "pcmu" -> Codec.PCMU;
          default -> throw new IllegalArgumentException("-Daudio: none, pcma or pcmu");
        };
    List<AccessUnit> g711 =
        audio == null
            ? List.of()
            : G711Tone.records(audio, G711Tone.codes(audio, 440, 0.2, 20.0), 160, 0);
    Path work = Files.createTempDirectory("camflow-bench-packager");
    List<AccessUnit> units = EncodedStream.busy1080p();
    long bytes = units.stream().mapToLong(u -> u.data().length).sum();
    System.out.printf(
        Locale.ROOT,
        "input: %d access units, %.0f kbps, GOP 50, 1920x1080@25%s%n",
        units.size(),
        bytes * 8.0 / (units.size() / 25.0) / 1000,
        audio == null ? "" : ", " + audio.id() + " 8 kHz in 20 ms records");
    try (LocalKafka kafka =
        LocalKafka.start(
            work.resolve("kafka"),
            io.camflow.localprocess.FreePorts.find(),
            io.camflow.localprocess.FreePorts.find())) {
      Properties p = new Properties();
      p.put("bootstrap.servers", kafka.bootstrapServers());
      try (Admin admin = Admin.create(p)) {
        admin
            .createTopics(
                List.of(
                    new NewTopic("camflow.media.bench.main", 1, (short) 1)
                        .configs(Map.of("max.message.bytes", "16777216"))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      p.put("max.request.size", "16777216");
      p.put("acks", "all");
      Process packager = startPackager(kafka, work);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
        Thread.sleep(8_000); // the packager joins its group and finds the topic
        long start = System.currentTimeMillis();
        long total = (long) (warmup + seconds + 2) * 25;
        long[] t0 = null;
        Instant w0 = null;
        for (long i = 0; i < total; i++) {
          AccessUnit src = units.get((int) (i % units.size()));
          long pts = i * 3600;
          AccessUnit au =
              new AccessUnit(
                  0, Codec.H264, pts, pts, 90_000, src.keyframe(), src.data(), src.codecConfig());
          ProducerRecord<byte[], byte[]> r =
              new ProducerRecord<>(
                  "camflow.media.bench.main", null, start + i * 40, null, au.data());
          MediaRecordFormat.headers(au, "bench")
              .forEach((k, v) -> r.headers().add(new RecordHeader(k, v)));
          producer.send(r);
          for (int k = 0;
              k < 2 && audio != null;
              k++) { // the 40 ms of G.711 that go with the frame
            long j = 2 * i + k;
            AccessUnit a = g711.get((int) (j % g711.size()));
            AccessUnit g = new AccessUnit(1, audio, j * 160, j * 160, 8_000, false, a.data(), null);
            ProducerRecord<byte[], byte[]> ar =
                new ProducerRecord<>(
                    "camflow.media.bench.main", null, start + j * 20, null, g.data());
            MediaRecordFormat.headers(g, "bench")
                .forEach((k2, v) -> ar.headers().add(new RecordHeader(k2, v)));
            producer.send(ar);
          }
          if (i == warmup * 25L) {
            t0 = ticksAndRss(packager.pid());
            w0 = Instant.now();
          }
          if (i == (warmup + seconds) * 25L) {
            long[] t1 = ticksAndRss(packager.pid());
            double secs = Duration.between(w0, Instant.now()).toMillis() / 1000.0;
            System.out.printf(
                Locale.ROOT,
                "packager-service: %.1f %% of one core, RSS %.0f MiB (%d s measured)%n",
                (t1[0] - t0[0]) / secs,
                t1[1] / 1024.0 / 1024.0,
                seconds);
          }
          long wait = start + (i + 1) * 40 - System.currentTimeMillis();
          if (wait > 0) {
            Thread.sleep(wait);
          }
        }
      } finally {
        packager.destroy();
        packager.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Process startPackager(LocalKafka kafka, Path work) throws Exception {
    String classpath =
        Path.of("target", "classes").toAbsolutePath()
            + ":"
            + Files.readString(Path.of("target", "classpath.txt")).trim();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(java, "-cp", classpath, "io.camflow.packager.PackagerMain")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("packager.log").toFile());
    pb.environment().put("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    pb.environment().put("CAMFLOW_ROUTES", Path.of("..", "routes").toAbsolutePath().toString());
    pb.environment().put("CAMFLOW_INSTANCE_ID", "packager-bench");
    // not the default 8082: a packager of ./camflow up (or another benchmark) may hold it on this
    // machine
    pb.environment()
        .put("CAMFLOW_METRICS_PORT", Integer.toString(io.camflow.localprocess.FreePorts.find()));
    return pb.start();
  }

  /**
   * utime+stime in clock ticks (USER_HZ = 100, so ticks per second = % of a core) and RSS bytes.
   */
  private static long[] ticksAndRss(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[21]) * 4096};
  }
}
