package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.EncodedStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots against the real local broker (docs/pictures.md): a 320x240 H.264 stream with a
 * keyframe every second is written to its media topic at camera pace, each record stamped exactly
 * one frame interval after the one before, so which frame a picture shows is known from its {@code
 * X-Capture-Time}. The latest keyframe is made once and shared; sizes, formats and qualities are
 * honoured; a past instant gives the keyframe before it, or the frame shown then with {@code
 * exact=1}; bad parameters are named; a stream without a keyframe says so.
 */
class PicturesIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final StreamKey KEY = new StreamKey("picit", "main");
  static final StreamKey SILENT = new StreamKey("picit", "silent");
  static final int GOP = 25;
  static final long FRAME_MS = 1000 / EncodedStream.FPS;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final Pattern METRIC =
      Pattern.compile(
          "(?m)^camflow_delivery_picture_cache_hits_total(?:\\{[^}]*})? ([0-9.eE+-]+)$");

  static volatile boolean running = true;
  static volatile long firstMillis;
  static volatile long written;
  static Thread media;
  static CamelContext ctx;
  static DeliveryService service;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(
        KEY.cmafTopic(),
        KEY.mediaTopic(),
        SILENT.cmafTopic(),
        SILENT.mediaTopic(),
        "camflow.demand");
    List<AccessUnit> clip = EncodedStream.h264(4, GOP, 320, 240);
    firstMillis = System.currentTimeMillis();
    media = Thread.ofPlatform().daemon().name("picit-media").start(() -> produce(clip));
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    service =
        new DeliveryService(
            DeliverySettings.defaults(KAFKA.bootstrapServers()),
            port,
            CorsPolicy.none(),
            AuthSettings.off(),
            null,
            ROUTES);
    ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (written < 3L * GOP && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(written >= 3L * GOP, "three GOPs written");
  }

  /** Frame i stamped firstMillis + i * 40 ms, sent when that time comes. */
  private static void produce(List<AccessUnit> clip) {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    p.put("linger.ms", "0");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; running; i++) {
        long due = firstMillis + i * FRAME_MS;
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        AccessUnit a = clip.get((int) (i % clip.size()));
        long shift = (i / clip.size()) * clip.size() * EncodedStream.FRAME_TICKS;
        AccessUnit au =
            new AccessUnit(
                a.track(),
                a.codec(),
                a.pts() + shift,
                a.dts() + shift,
                a.timebase(),
                a.keyframe(),
                a.data(),
                a.codecConfig());
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(KEY.mediaTopic(), 0, due, null, au.data());
        MediaRecordFormat.headers(au, "s1").forEach((k, v) -> r.headers().add(k, v));
        producer.send(r).get(10, TimeUnit.SECONDS);
        written = i + 1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    running = false;
    if (ctx != null) {
      ctx.stop();
    }
    if (service != null) {
      service.close();
    }
    if (media != null) {
      media.join(5_000);
    }
  }

  @Test
  void theLatestKeyframeIsAJpegMadeOnceForEveryRequest() throws Exception {
    HttpResponse<byte[]> first = get(KEY, "snapshot.jpg");
    assertEquals(200, first.statusCode(), text(first));
    assertEquals("image/jpeg", first.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-cache", first.headers().firstValue("Cache-Control").orElse(""));
    BufferedImage image = image(first);
    assertEquals(320, image.getWidth());
    assertEquals(240, image.getHeight());
    long captured = captured(first);
    long age = System.currentTimeMillis() - captured;
    assertTrue(age >= 0 && age < 1000 + 500, "the latest keyframe, within a GOP of now: " + age);
    assertEquals(0, (captured - firstMillis) / FRAME_MS % GOP, "a keyframe's instant");

    double hits = cacheHits();
    HttpResponse<byte[]> again = get(KEY, "snapshot.jpg");
    if (captured(again) == captured) { // not a new keyframe in between
      assertArrayEquals(first.body(), again.body(), "the same picture");
      assertEquals(hits + 1, cacheHits(), "answered from what the first request made");
    }
  }

  @Test
  void sizeFormatAndQualityAreHonoured() throws Exception {
    BufferedImage small = image(ok(get(KEY, "snapshot.jpg?width=160")));
    assertEquals(160, small.getWidth());
    assertEquals(120, small.getHeight());
    BufferedImage box = image(ok(get(KEY, "snapshot.jpg?width=160&height=60")));
    assertEquals(80, box.getWidth(), "the box's tighter side, aspect kept");
    assertEquals(60, box.getHeight());
    BufferedImage never = image(ok(get(KEY, "snapshot.jpg?height=2000")));
    assertEquals(240, never.getHeight(), "never larger than the camera's picture");

    HttpResponse<byte[]> webp = ok(get(KEY, "snapshot.webp?width=160"));
    assertEquals("image/webp", webp.headers().firstValue("Content-Type").orElse(""));
    assertEquals("WEBP", new String(webp.body(), 8, 4, StandardCharsets.US_ASCII));

    int coarse = ok(get(KEY, "snapshot.jpg?quality=5")).body().length;
    int fine = ok(get(KEY, "snapshot.jpg?quality=95")).body().length;
    assertTrue(coarse * 2 < fine, "quality 5: " + coarse + " bytes, 95: " + fine);
  }

  @Test
  void aPastInstantIsTheKeyframeBeforeItOrTheFrameShownThen() throws Exception {
    long frame = 2 * GOP + 17; // well inside the third GOP
    long at = firstMillis + frame * FRAME_MS + FRAME_MS / 2; // between two frames
    String query = "?at=" + Instant.ofEpochMilli(at);
    HttpResponse<byte[]> keyframe = ok(get(KEY, "snapshot.jpg" + query));
    assertEquals(firstMillis + 2 * GOP * FRAME_MS, captured(keyframe), "the keyframe before at");
    assertTrue(
        keyframe.headers().firstValue("Cache-Control").orElse("").contains("max-age"),
        "a recorded picture does not change");
    HttpResponse<byte[]> exact = ok(get(KEY, "snapshot.jpg" + query + "&exact=1&width=160"));
    assertEquals(firstMillis + frame * FRAME_MS, captured(exact), "the frame shown at at");
    assertEquals(160, image(exact).getWidth());

    HttpResponse<byte[]> before =
        get(KEY, "snapshot.jpg?at=" + Instant.ofEpochMilli(firstMillis - 60_000));
    assertEquals(404, before.statusCode(), text(before));
    assertTrue(text(before).contains("nothing of picit/main is recorded at"), text(before));
    HttpResponse<byte[]> future = get(KEY, "snapshot.jpg?at=" + Instant.now().plusSeconds(3600));
    assertEquals(404, future.statusCode(), text(future));
  }

  @Test
  void badParametersAreRefusedByName() throws Exception {
    assertBad("snapshot.jpg?width=abc", "width must be a whole number");
    assertBad("snapshot.jpg?width=8", "width must be 16 to 7680");
    assertBad("snapshot.jpg?height=99999", "height must be 16 to 7680");
    assertBad("snapshot.jpg?quality=0", "quality must be 1 to 100");
    assertBad("snapshot.jpg?width=100&width=200", "width is given 2 times");
    assertBad("snapshot.jpg?exact=1", "exact needs at");
    assertBad("snapshot.jpg?at=yesterday", "at: expected an ISO-8601 instant");
    assertBad("snapshot.jpg?at=2026-12-07T03:00:00Z&exact=maybe", "exact must be 1 or 0");
    assertEquals(404, get(new StreamKey("picit", "nosuch"), "snapshot.jpg").statusCode());
    assertEquals(404, get(KEY, "snapshot.png").statusCode());
  }

  @Test
  void aStreamWithoutAKeyframeSaysSo() throws Exception {
    HttpResponse<byte[]> r = get(SILENT, "snapshot.jpg");
    assertEquals(503, r.statusCode(), text(r));
    assertTrue(text(r).contains("no keyframe of picit/silent yet"), text(r));
    assertEquals("2", r.headers().firstValue("Retry-After").orElse(""));
  }

  private static void assertBad(String name, String says) throws Exception {
    HttpResponse<byte[]> r = get(KEY, name);
    assertEquals(400, r.statusCode(), name + ": " + text(r));
    assertTrue(text(r).contains(says), name + ": " + text(r));
  }

  static HttpResponse<byte[]> get(StreamKey key, String name) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/live/" + key + "/" + name))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
    assertEquals(200, r.statusCode(), text(r));
    return r;
  }

  static BufferedImage image(HttpResponse<byte[]> r) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(r.body()));
  }

  static long captured(HttpResponse<byte[]> r) {
    return Instant.parse(r.headers().firstValue("X-Capture-Time").orElseThrow()).toEpochMilli();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static double cacheHits() throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    Matcher m = METRIC.matcher(text(r));
    assertTrue(m.find(), text(r));
    return Double.parseDouble(m.group(1));
  }
}
