package io.camflow.ingest.bench;

import io.camflow.kafka.LocalKafka;
import io.camflow.testsupport.TestCamera;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): CPU and memory of ingest-service pulling one 1080p25 ~4 Mbps H.264 camera
 * into Kafka, next to {@code ffmpeg -rtsp_transport tcp -i <camera> -c copy -f null -} pulling the
 * same camera at the same time. Both are separate processes measured from /proc/&lt;pid&gt;/stat
 * over the same window after a warm-up.
 *
 * <p>Run with {@code ./camflow bench ingest-cpu} (options: {@code -Dwarmup=15 -Dseconds=60}).
 */
public final class IngestCpuBenchmark {

  private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

  public static void main(String[] args) throws Exception {
    int warmup = Integer.getInteger("warmup", 15);
    int seconds = Integer.getInteger("seconds", 60);
    int width = Integer.getInteger("width", 1920);
    int height = Integer.getInteger("height", 1080);
    int kbps = Integer.getInteger("kbps", 4000);
    // noise: a simple moving picture leaves x264 far below the target bit rate (1.5 of 4 Mbps)
    String pattern = System.getProperty("pattern", "snow");
    Path classpath = Path.of("target", "classpath.txt");
    if (!Files.exists(classpath)) {
      throw new IllegalStateException(
          "run 'package' first: " + classpath.toAbsolutePath() + " is missing");
    }
    Path work = Files.createTempDirectory("camflow-bench");
    try (LocalKafka kafka =
            LocalKafka.start(
                work.resolve("kafka"),
                io.camflow.localprocess.FreePorts.find(),
                io.camflow.localprocess.FreePorts.find());
        TestCamera cam =
            TestCamera.builder()
                .codec(TestCamera.Codec.H264)
                .size(width, height)
                .fps(25)
                .gop(50)
                .bitrateKbps(kbps)
                .pattern(pattern)
                .credentials("bench", "bench-pass")
                .start()) {
      Path config = work.resolve("camflow.yaml");
      Files.writeString(
          config,
          """
          kafka:
            bootstrapServers: %s
          cameras:
            bench:
              streams:
                main:
                  url: %s
                  username: bench
                  password: bench-pass
                  transport: tcp
                  mode: always
          """
              .formatted(kafka.bootstrapServers(), cam.url()));
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder ingestPb =
          new ProcessBuilder(
                  java,
                  "-cp",
                  Path.of("target", "classes").toAbsolutePath()
                      + ":"
                      + Files.readString(classpath).trim(),
                  "io.camflow.ingest.IngestMain")
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("ingest.log").toFile());
      ingestPb.environment().put("CAMFLOW_CONFIG", config.toString());
      ingestPb
          .environment()
          .put("CAMFLOW_ROUTES", Path.of("..", "routes").toAbsolutePath().toString());
      Process ingest = ingestPb.start();
      Process ffmpeg =
          new ProcessBuilder(
                  "/usr/bin/ffmpeg",
                  "-nostdin",
                  "-v",
                  "error",
                  "-rtsp_transport",
                  "tcp",
                  "-i",
                  cam.urlWithCredentials(),
                  "-c",
                  "copy",
                  "-f",
                  "null",
                  "-")
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("ffmpeg.log").toFile())
              .start();
      try {
        System.out.printf(
            "camera %dx%d@25 %d kbps H.264 (%s); warm-up %d s, measuring %d s%n",
            width, height, kbps, pattern, warmup, seconds);
        Thread.sleep(Duration.ofSeconds(warmup));
        List<Sample> start =
            List.of(
                Sample.of(ingest.pid()), Sample.of(ffmpeg.pid()), Sample.of(kafka.process().pid()));
        Thread.sleep(Duration.ofSeconds(seconds));
        List<Sample> end =
            List.of(
                Sample.of(ingest.pid()), Sample.of(ffmpeg.pid()), Sample.of(kafka.process().pid()));
        if (!ingest.isAlive() || !ffmpeg.isAlive()) {
          throw new IllegalStateException("a measured process died; logs in " + work);
        }
        String[] names = {"ingest-service", "ffmpeg -c copy", "kafka broker"};
        List<Double> cpu = new ArrayList<>();
        System.out.println("process            CPU (% of one core)   RSS (MiB)");
        for (int i = 0; i < 3; i++) {
          double pct =
              100.0
                  * (end.get(i).ticks - start.get(i).ticks)
                  / CLOCK_TICKS
                  / Duration.between(start.get(i).at, end.get(i).at).toMillis()
                  * 1000;
          cpu.add(pct);
          System.out.printf(
              Locale.ROOT, "%-18s %8.1f              %8.1f%n", names[i], pct, end.get(i).rssMiB);
        }
        System.out.printf(
            Locale.ROOT,
            "ingest / ffmpeg CPU ratio: %.2f (target <= 1.5)%n",
            cpu.get(0) / cpu.get(1));
        System.out.printf(
            Locale.ROOT, "camera stream measured by ingest: %s%n", bitrate(kafka, work));
      } finally {
        ingest.destroy();
        ffmpeg.destroy();
        ingest.waitFor();
        ffmpeg.waitFor();
      }
    }
  }

  /** The bit rate ingest reported in its last status record for the stream. */
  private static String bitrate(LocalKafka kafka, Path work) {
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    String last = "unknown";
    try (var c =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(
            p,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.StringDeserializer())) {
      var tp = new org.apache.kafka.common.TopicPartition("camflow.status", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      for (int i = 0; i < 5; i++) {
        for (var r : c.poll(Duration.ofMillis(300))) {
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile("\\\"fps\\\":([0-9.]+),\\\"bitrateKbps\\\":([0-9.]+)")
                  .matcher(r.value());
          if (m.find() && Double.parseDouble(m.group(2)) > 0) {
            last = m.group(2) + " kbps at " + m.group(1) + " fps";
          }
        }
      }
    }
    return last;
  }

  /** utime+stime (clock ticks) and resident set size of a process at one instant. */
  private record Sample(Instant at, long ticks, double rssMiB) {
    static Sample of(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      long rssPages = Long.parseLong(f[21]); // field 24
      return new Sample(Instant.now(), ticks, rssPages * 4096 / 1024.0 / 1024.0);
    }
  }
}
