package io.camflow.delivery.bench;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.media.AccessUnit;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.EncodedStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

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
      createTopics(kafka.bootstrapServers(), topic, "camflow.cmaf.bench.snap");
      long frames = minutes * 60L * EncodedStream.FPS;
      long start = System.currentTimeMillis() - frames * 40 - 5_000;
      Properties p = new Properties();
      p.put("bootstrap.servers", kafka.bootstrapServers());
      p.put("max.request.size", Integer.toString(16 * 1024 * 1024));
      p.put("linger.ms", "5");
      KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
      long t = System.nanoTime();
      for (long i = 0; i < frames; i++) {
        send(producer, topic, clip, i, start + i * 40);
      }
      producer.flush();
      System.out.printf(
          Locale.ROOT,
          "recorded %d min of 1080p25 (%d frames) in %.0f s%n",
          minutes,
          frames,
          (System.nanoTime() - t) / 1e9);
      Thread live =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    long first = System.currentTimeMillis();
                    try {
                      for (long i = frames; ; i++) {
                        long due = first + (i - frames) * 40;
                        Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
                        send(producer, topic, clip, i, due);
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });

      int port = FreePorts.find();
      DeliveryService service =
          new DeliveryService(
              DeliverySettings.defaults(kafka.bootstrapServers()),
              port,
              CorsPolicy.none(),
              AuthSettings.off(),
              null,
              Path.of("..", "routes", "delivery.camel.yaml"));
      DefaultCamelContext ctx = new DefaultCamelContext();
      service.configure(ctx);
      ctx.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        String snapshot = base + "/live/bench/snap/snapshot.jpg";
        long cold = System.nanoTime();
        get(http, snapshot);
        System.out.printf(
            Locale.ROOT,
            "first snapshot of a cold stream (feed start, keyframe read back, decode): %.1f ms%n",
            (System.nanoTime() - cold) / 1e6);
        for (String query : List.of("", "?width=640")) {
          Map<String, Double> before = metrics(http, base);
          List<Double> ms = new ArrayList<>();
          long bytes = 0;
          for (int i = 0; i < requests + 10; i++) {
            long t0 = System.nanoTime();
            byte[] body = get(http, snapshot + query);
            if (i >= 10) {
              ms.add((System.nanoTime() - t0) / 1e6);
              bytes += body.length;
            }
            Thread.sleep(100);
          }
          Map<String, Double> after = metrics(http, base);
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
              pct(ms, 50),
              pct(ms, 95),
              pct(ms, 100),
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
              get(http, snapshot + "?at=" + at + mode + size);
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
                pct(ms, 50),
                pct(ms, 95),
                pct(ms, 100));
          }
        }
        mjpegCost(http, snapshot, base + "/live/bench/snap/mjpeg?fps=5&width=640");
      } finally {
        live.interrupt();
        ctx.stop();
        service.close();
        producer.close();
      }
    }
  }

  /**
   * CPU of this process (delivery, and the live camera's producer) for 20 s with the stream's feed
   * warm and nobody watching, then for 20 s with one MJPEG viewer: the difference is what the MJPEG
   * stream costs (decoding every frame, encoding 5 pictures a second).
   */
  private static void mjpegCost(HttpClient http, String snapshot, String mjpeg) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    get(http, snapshot); // the feed runs (idle grace 30 s)
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(20_000);
    double idle = (os.getProcessCpuTime() - c0) / (double) (System.nanoTime() - t0);
    get(http, snapshot);
    HttpResponse<java.io.InputStream> r =
        http.send(
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

  private static void send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      List<AccessUnit> clip,
      long i,
      long timestamp) {
    AccessUnit au = EncodedStream.looped(clip, i);
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, 0, timestamp, null, au.data());
    MediaRecordFormat.headers(au, "bench").forEach((k, v) -> r.headers().add(k, v));
    producer.send(r);
  }

  private static void createTopics(String bootstrap, String... names) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      Map<String, String> configs =
          Map.of("max.message.bytes", "16777216", "retention.ms", "604800000");
      admin
          .createTopics(
              java.util.Arrays.stream(names)
                  .map(n -> new NewTopic(n, 1, (short) 1).configs(configs))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static Map<String, Double> metrics(HttpClient http, String base) throws Exception {
    Matcher m =
        METRIC.matcher(
            new String(get(http, base + "/metrics"), java.nio.charset.StandardCharsets.UTF_8));
    Map<String, Double> values = new java.util.HashMap<>();
    while (m.find()) {
      values.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return values;
  }

  private static byte[] get(HttpClient http, String url) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": " + r.statusCode() + " " + new String(r.body()));
    }
    return r.body();
  }

  private static double pct(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
