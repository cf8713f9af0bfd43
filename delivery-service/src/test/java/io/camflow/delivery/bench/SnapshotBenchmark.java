package io.camflow.delivery.bench;

import io.camflow.delivery.it.MediaFeed;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.media.AccessUnit;
import io.camflow.testsupport.EncodedStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Snapshot latency (docs/pictures.md), request to last byte, of a 1080p25 ~4 Mbit/s camera (GOP 2
 * s): the live picture of a warm stream asked every 100 ms (most answered from the picture made for
 * the keyframe, one in twenty made anew), at the camera's size and 640 px wide; and pictures of
 * random past instants of a recording ({@code -Dminutes}, default 30, filled at full speed into the
 * media topic), the keyframe before each and the exact frame. docs/BENCHMARKS.md.
 */
public final class SnapshotBenchmark {

  private static final Pattern METRIC =
      Pattern.compile("(?m)^(camflow_delivery_picture_[a-z_]+_total)\\{[^}]*} ([0-9.eE+-]+)$");

  private SnapshotBenchmark() {}

  public static void main(String[] args) throws Exception {
    int minutes = Integer.getInteger("minutes", 30);
    int requests = Integer.getInteger("requests", 200);
    Path work = Files.createTempDirectory("camflow-snapshot");
    List<AccessUnit> clip = EncodedStream.busy1080p();
    try (LocalKafka kafka =
        LocalKafka.start(work.resolve("kafka"), FreePorts.find(), FreePorts.find())) {
      String topic = "camflow.media.bench.snap";
      BenchRecording.topics(kafka.bootstrapServers(), topic, "camflow.cmaf.bench.snap");
      long frames = minutes * 60L * EncodedStream.FPS;
      long start = System.currentTimeMillis() - frames * 40 - 5_000;
      MediaFeed camera = new MediaFeed(kafka.bootstrapServers(), topic, clip, "bench");
      long t = System.nanoTime();
      camera.record(start, frames);
      System.out.printf(
          Locale.ROOT,
          "recorded %d min of 1080p25 (%d frames) in %.0f s%n",
          minutes,
          frames,
          (System.nanoTime() - t) / 1e9);
      camera.start(); // and on, live

      try (BenchDelivery delivery = BenchDelivery.start(kafka.bootstrapServers())) {
        String base = delivery.url("");
        String snapshot = base + "/live/bench/snap/snapshot.jpg";
        long cold = System.nanoTime();
        delivery.get(snapshot);
        System.out.printf(
            Locale.ROOT,
            "first snapshot of a cold stream (feed start, keyframe read back, decode): %.1f ms%n",
            (System.nanoTime() - cold) / 1e6);
        for (String query : List.of("", "?width=640")) {
          Map<String, Double> before = metrics(delivery, base);
          List<Double> ms = new ArrayList<>();
          long bytes = 0;
          for (int i = 0; i < requests + 10; i++) {
            long t0 = System.nanoTime();
            byte[] body = delivery.get(snapshot + query);
            if (i >= 10) {
              ms.add((System.nanoTime() - t0) / 1e6);
              bytes += body.length;
            }
            Thread.sleep(100);
          }
          Map<String, Double> after = metrics(delivery, base);
          double decodes =
              after.get("camflow_delivery_picture_decodes_total")
                  - before.get("camflow_delivery_picture_decodes_total");
          double seconds =
              after.get("camflow_delivery_picture_decode_seconds_total")
                  - before.get("camflow_delivery_picture_decode_seconds_total");
          System.out.printf(
              Locale.ROOT,
              "live snapshot%s every 100 ms, %d requests (%.0f KB each): p50 %.1f ms, p95 %.1f ms,"
                  + " max %.1f ms; %.0f made (%.1f ms each), the rest from the cache%n",
              query.isEmpty() ? " 1920x1080" : " 640x360",
              requests,
              bytes / 1024.0 / requests,
              BenchDelivery.percentile(ms, 50),
              BenchDelivery.percentile(ms, 95),
              BenchDelivery.percentile(ms, 100),
              decodes,
              decodes == 0 ? 0 : seconds * 1000 / decodes);
        }
        Random random = new Random(5);
        long span = frames * 40 - 10_000;
        for (String mode : List.of("", "&exact=1")) {
          for (String size : List.of("", "&width=640")) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < requests + 5; i++) {
              Instant at =
                  Instant.ofEpochMilli(start + 5_000 + (long) (random.nextDouble() * span));
              long t0 = System.nanoTime();
              delivery.get(snapshot + "?at=" + at + mode + size);
              if (i >= 5) {
                ms.add((System.nanoTime() - t0) / 1e6);
              }
            }
            System.out.printf(
                Locale.ROOT,
                "past instant (%s, %s), %d random instants over %d min: p50 %.1f ms, p95 %.1f ms,"
                    + " max %.1f ms%n",
                mode.isEmpty() ? "keyframe before" : "exact frame",
                size.isEmpty() ? "1920x1080" : "640x360",
                requests,
                minutes,
                BenchDelivery.percentile(ms, 50),
                BenchDelivery.percentile(ms, 95),
                BenchDelivery.percentile(ms, 100));
          }
        }
        mjpegCost(delivery, snapshot, base + "/live/bench/snap/mjpeg?fps=5&width=640");
      } finally {
        camera.close();
      }
    }
  }

  /**
   * CPU of this process (delivery, and the live camera's producer) for 20 s with the stream's feed
   * warm and nobody watching, then for 20 s with one MJPEG viewer: the difference is what the MJPEG
   * stream costs (decoding every frame, encoding 5 pictures a second).
   */
  private static void mjpegCost(BenchDelivery delivery, String snapshot, String mjpeg)
      throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    delivery.get(snapshot); // the feed runs (idle grace 30 s)
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(20_000);
    double idle = (os.getProcessCpuTime() - c0) / (double) (System.nanoTime() - t0);
    delivery.get(snapshot);
    HttpResponse<java.io.InputStream> r =
        delivery.http.send(
            HttpRequest.newBuilder(URI.create(mjpeg)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long c1 = os.getProcessCpuTime();
    long t1 = System.nanoTime();
    long bytes = 0;
    byte[] buffer = new byte[65536];
    try (java.io.InputStream in = r.body()) {
      while (System.nanoTime() - t1 < 20_000_000_000L) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new IllegalStateException("the MJPEG response ended");
        }
        bytes += n;
      }
    }
    double watched = (os.getProcessCpuTime() - c1) / (double) (System.nanoTime() - t1);
    System.out.printf(
        Locale.ROOT,
        "MJPEG 5 fps 640 px of the 1080p camera: %.1f %% of a core (%.1f %% with the viewer,"
            + " %.1f %% without), %.0f kbit/s to the viewer%n",
        (watched - idle) * 100,
        watched * 100,
        idle * 100,
        bytes * 8 / 20.0 / 1000);
  }

  private static Map<String, Double> metrics(BenchDelivery delivery, String base) throws Exception {
    Matcher m =
        METRIC.matcher(
            new String(delivery.get(base + "/metrics"), java.nio.charset.StandardCharsets.UTF_8));
    Map<String, Double> values = new java.util.HashMap<>();
    while (m.find()) {
      values.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return values;
  }
}
