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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Snapshots against the real local broker (docs/pictures.md): a 320x240 H.264 stream with a
 * keyframe every second is written to its media topic at camera pace, each record stamped exactly
 * one frame interval after the one before, so which frame a picture shows is known from its {@code
 * Camflow-Capture-Time}. The latest keyframe is made once and shared; sizes, formats and qualities
 * are honoured; a past instant gives the keyframe before it, or the frame shown then with {@code
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

  static long firstMillis;
  static MediaFeed media;
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
    media = new MediaFeed(KAFKA.bootstrapServers(), KEY.mediaTopic(), clip, "s1").start();
    firstMillis = media.liveSince();
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
    while (media.written() < 3L * GOP && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(media.written() >= 3L * GOP, "three GOPs written");
  }

  @AfterAll
  static void stop() throws Exception {
    if (ctx != null) {
      ctx.stop();
    }
    if (service != null) {
      service.close();
    }
    if (media != null) {
      media.close();
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

  /**
   * Two MJPEG viewers of the stream at their own size and rate get JPEGs of that size at that rate,
   * decoded once for both, while a third that never reads holds nothing up; each is a viewer
   * session until it leaves.
   */
  @Test
  void mjpegViewersGetTheirSizeAtTheirRateFromOneDecoder() throws Exception {
    java.net.Socket stalled = new java.net.Socket("127.0.0.1", port);
    stalled.setReceiveBufferSize(4096);
    stalled
        .getOutputStream()
        .write(
            ("GET /live/" + KEY + "/mjpeg?fps=10 HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    try (Mjpeg five = Mjpeg.open(KEY, "fps=5&width=160");
        Mjpeg two = Mjpeg.open(KEY, "fps=2&width=80")) {
      assertEquals("multipart/x-mixed-replace; boundary=camflowframe", five.contentType);
      long decodedBefore = service.streams().find(KEY).orElseThrow().pictureStream().decoded();
      long t0 = System.nanoTime();
      java.util.concurrent.CompletableFuture<List<Long>> twoRead =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return two.read(4_000, 80, 60);
                } catch (Exception e) {
                  throw new java.util.concurrent.CompletionException(e);
                }
              });
      List<Long> fiveTimes = five.read(4_000, 160, 120);
      List<Long> twoTimes = twoRead.get(10, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long decoded =
          service.streams().find(KEY).orElseThrow().pictureStream().decoded() - decodedBefore;
      assertTrue(fiveTimes.size() >= 15 && fiveTimes.size() <= 25, "5 a second: " + fiveTimes);
      assertTrue(twoTimes.size() >= 5 && twoTimes.size() <= 11, "2 a second: " + twoTimes);
      List<Long> steps = new java.util.ArrayList<>();
      for (int i = 2; i < fiveTimes.size(); i++) { // after the snapshot it starts with
        steps.add(fiveTimes.get(i) - fiveTimes.get(i - 1));
      }
      java.util.Collections.sort(steps);
      assertTrue(steps.getFirst() >= 160, "never faster than asked: " + fiveTimes);
      assertEquals(200, steps.get(steps.size() / 2), "a picture every 200 ms of capture time");
      assertTrue(
          decoded <= seconds * EncodedStream.FPS * 1.3,
          "one decoder for every viewer: " + decoded + " frames in " + seconds + " s");
      assertEquals(3, service.sessions().count(KEY), "each viewer is a session");
    } finally {
      stalled.close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (service.sessions().count(KEY) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, service.sessions().count(KEY), "the sessions end with their connections");
  }

  /**
   * The frames socket: pictures at the asked rate and size, each with its capture time; new
   * settings while connected change them, bad ones are named and change nothing; a client that
   * reads nothing holds nobody up.
   */
  @Test
  void theFramesSocketSendsPicturesAtTheAskedRateAndSettingsChangeThem() throws Exception {
    Frames stalled = Frames.open(KEY, "fps=10", false);
    try (Frames f = Frames.open(KEY, "fps=4&width=160", true)) {
      var first = f.settings();
      assertEquals(4.0, first.path("fps").asDouble(), "the settings in force, first: " + first);
      assertEquals(160, first.path("width").asInt(), first.toString());
      Thread.sleep(3_000);
      List<Frames.Received> got = f.pictures();
      assertTrue(got.size() >= 8 && got.size() <= 16, "4 a second for 3 s: " + got.size());
      for (Frames.Received r : got) {
        assertEquals(160, r.image().getWidth());
        assertTrue(
            Math.abs(r.captureMillis() - System.currentTimeMillis()) < 10_000,
            "each picture says when it was taken");
      }
      f.send("{\"type\":\"settings\",\"fps\":99}");
      assertTrue(f.error().contains("fps must be"), "a bad setting is named");
      f.send("{\"type\":\"settings\",\"format\":\"webp\",\"width\":80,\"fps\":2}");
      assertEquals("webp", f.settings().path("format").asText());
      Thread.sleep(2_500);
      List<Frames.Received> after = f.pictures();
      Frames.Received last = after.getLast();
      assertEquals("WEBP", new String(last.bytes(), 8, 4, StandardCharsets.US_ASCII));
      assertEquals(2, service.sessions().count(KEY), "each socket a session, the stalled one too");
    } finally {
      stalled.abort();
    }
  }

  /** A frames socket of the JDK's WebSocket client, collecting what comes. */
  static final class Frames implements AutoCloseable {
    record Received(long captureMillis, byte[] bytes) {
      BufferedImage image() throws java.io.IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
      }
    }

    final java.util.concurrent.BlockingQueue<String> texts =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final List<Received> pictures = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.net.http.WebSocket socket;

    static Frames open(StreamKey key, String query, boolean reads) throws Exception {
      Frames f = new Frames();
      java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
      StringBuilder text = new StringBuilder();
      f.socket =
          HTTP.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + port + "/live/" + key + "/frames?" + query),
                  new java.net.http.WebSocket.Listener() {
                    @Override
                    public void onOpen(java.net.http.WebSocket ws) {
                      if (reads) {
                        ws.request(1);
                      } // else: never reads a message, so the socket's buffers fill
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(
                        java.net.http.WebSocket ws, CharSequence data, boolean last) {
                      text.append(data);
                      if (last) {
                        f.texts.add(text.toString());
                        text.setLength(0);
                      }
                      ws.request(1);
                      return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onBinary(
                        java.net.http.WebSocket ws, java.nio.ByteBuffer data, boolean last) {
                      byte[] b = new byte[data.remaining()];
                      data.get(b);
                      binary.writeBytes(b);
                      if (last) {
                        java.nio.ByteBuffer m = java.nio.ByteBuffer.wrap(binary.toByteArray());
                        long capture = m.getLong();
                        byte[] picture = new byte[m.remaining()];
                        m.get(picture);
                        f.pictures.add(new Received(capture, picture));
                        binary.reset();
                      }
                      ws.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      return f;
    }

    com.fasterxml.jackson.databind.JsonNode settings() throws Exception {
      return next("settings");
    }

    String error() throws Exception {
      return next("error").path("message").asText();
    }

    private com.fasterxml.jackson.databind.JsonNode next(String type) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      List<String> seen = new java.util.ArrayList<>();
      while (System.nanoTime() < deadline) {
        String t = texts.poll(100, TimeUnit.MILLISECONDS);
        if (t != null) {
          seen.add(t);
          var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(t);
          if (node.path("type").asText().equals(type)) {
            return node;
          }
        }
      }
      throw new AssertionError(
          "no " + type + " message (but " + seen + "); pictures: " + pictures.size());
    }

    /** The pictures received since the last call. */
    List<Received> pictures() {
      List<Received> copy = List.copyOf(pictures);
      pictures.clear();
      return copy;
    }

    void send(String json) throws Exception {
      socket.sendText(json, true).get(10, TimeUnit.SECONDS);
    }

    void abort() {
      socket.abort();
    }

    @Override
    public void close() {
      socket.abort();
    }
  }

  /** An MJPEG response read part by part. */
  static final class Mjpeg implements AutoCloseable {
    final java.io.InputStream in;
    final String contentType;

    private Mjpeg(HttpResponse<java.io.InputStream> r) {
      assertEquals(200, r.statusCode());
      this.in = r.body();
      this.contentType = r.headers().firstValue("Content-Type").orElse("");
    }

    static Mjpeg open(StreamKey key, String query) throws Exception {
      return new Mjpeg(
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/live/" + key + "/mjpeg?" + query))
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream()));
    }

    /**
     * The capture times of the parts read for {@code millis}, each checked to be a JPEG of the size
     * given.
     */
    List<Long> read(long millis, int width, int height) throws Exception {
      List<Long> times = new java.util.ArrayList<>();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (System.nanoTime() < end) {
        String line = line();
        if (line.isEmpty()) {
          continue;
        }
        assertEquals("--camflowframe", line);
        int length = -1;
        long capture = -1;
        for (String h = line(); !h.isEmpty(); h = line()) {
          if (h.startsWith("Content-Length: ")) {
            length = Integer.parseInt(h.substring(16));
          } else if (h.startsWith("Camflow-Capture-Time: ")) {
            capture = Instant.parse(h.substring(22)).toEpochMilli();
          } else {
            assertEquals("Content-Type: image/jpeg", h);
          }
        }
        byte[] jpeg = in.readNBytes(length);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        times.add(capture);
      }
      return times;
    }

    private String line() throws Exception {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new java.io.EOFException("the MJPEG response ended");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }

    @Override
    public void close() throws Exception {
      in.close();
    }
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
    assertBad("mjpeg?fps=50", "fps must be 0.017 to 10.0");
    assertBad("mjpeg?fps=fast", "fps must be a number");
    assertBad("mjpeg?at=2026-12-07T03:00:00Z", "MJPEG is live only");
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
    return Instant.parse(r.headers().firstValue("Camflow-Capture-Time").orElseThrow())
        .toEpochMilli();
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
