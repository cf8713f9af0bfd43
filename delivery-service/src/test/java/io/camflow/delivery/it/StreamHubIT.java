package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.demand.DemandHeartbeat;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.sdp.Fingerprint;
import io.camflow.media.sdp.Ice;
import io.camflow.media.sdp.MediaDescription;
import io.camflow.media.sdp.SessionDescription;
import io.camflow.testsupport.EncodedStream;
import io.camflow.webrtc.TestPeer;
import io.camflow.webrtc.WebRtcTransportSettings;
import io.camflow.webrtc.dtls.CertificateFingerprint;
import io.camflow.webrtc.srtp.SrtpProfile;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One stream hub per watched stream (docs/delivery.md, "Stream hubs"), against the real local
 * broker: an HLS, an MSE and a WebRTC viewer of the same stream share one GOP cache and one Kafka
 * consumer per topic, as {@code GET /metrics} tells; all of it goes away after the viewers leave
 * and the idle grace passes. A WebRTC viewer alone reads the media topic only, and its session
 * keeps the demand heartbeats of its stream going (no HLS stream touched on its behalf).
 */
class StreamHubIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final StreamKey KEY = new StreamKey("hubit", "main");
  static final Duration IDLE = Duration.ofSeconds(2);
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final Pattern METRIC = Pattern.compile("(?m)^([a-z_]+)(\\{[^}]*})? ([0-9.eE+-]+)$");

  static CmafFeed cmaf;
  static MediaFeed media;
  static CamelContext ctx;
  static DeliveryService service;
  static int port;
  static int udpPort;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(KEY.cmafTopic(), KEY.mediaTopic(), "camflow.demand");
    List<AccessUnit> clip = EncodedStream.h264(4, 25, 320, 240);
    cmaf = new CmafFeed(KAFKA.bootstrapServers(), KEY.cmafTopic(), clip);
    cmaf.start();
    media = new MediaFeed(KAFKA.bootstrapServers(), KEY.mediaTopic(), clip, "s1").start();
    try (ServerSocket s = new ServerSocket(0);
        DatagramSocket u = new DatagramSocket(0)) {
      port = s.getLocalPort();
      udpPort = u.getLocalPort();
    }
    DeliverySettings d = DeliverySettings.defaults(KAFKA.bootstrapServers());
    service =
        new DeliveryService(
                new DeliverySettings(
                    d.bootstrapServers(),
                    d.partTarget(),
                    d.segmentTarget(),
                    d.startSegments(),
                    d.startWait(),
                    IDLE),
                port,
                CorsPolicy.none(),
                AuthSettings.off(),
                null,
                ROUTES)
            .webrtc(
                WhepSettings.defaults(),
                WebRtcTransportSettings.defaults().withPort(udpPort).withLoopbackCandidates(true));
    ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    await("the CMAF topic holds a segment", () -> cmaf.segmentsWritten >= 1, 30);
  }

  @AfterAll
  static void stop() throws Exception {
    if (ctx != null) {
      ctx.stop();
    }
    if (service != null) {
      service.close();
    }
    if (cmaf != null) {
      cmaf.close();
    }
    if (media != null) {
      media.close();
    }
  }

  @Test
  void hlsMseAndWebRtcViewersShareOneGopCacheAndOneConsumerPerTopic() throws Exception {
    await("no hub left from another test", () -> service.streams().find(KEY).isEmpty(), 20);
    String playlist = "/live/" + KEY + "/index.m3u8";
    assertEquals(200, get(playlist).statusCode(), "the HLS viewer's playlist");
    MseIT.MseClient mse =
        MseIT.MseClient.open(
                HTTP, URI.create("ws://127.0.0.1:" + port + "/live/" + KEY + "/mse"), null, 0)
            .join();
    try (TestPeer peer = new TestPeer(udpPort)) {
      String location = play(peer);
      assertTrue(mse.firstFragmentMillis() >= 0, "the MSE viewer plays");
      await("every viewer has a session", () -> service.sessions().count(KEY) == 3, 10);
      assertEquals(200, get(playlist).statusCode(), "the HLS viewer goes on");

      String metrics = text(get("/metrics"));
      assertEquals(1, metric(metrics, "camflow_delivery_hub_gop_caches", null), metrics);
      assertEquals(
          1, metric(metrics, "camflow_delivery_hub_topic_consumers", KEY.cmafTopic()), metrics);
      assertEquals(
          1, metric(metrics, "camflow_delivery_hub_topic_consumers", KEY.mediaTopic()), metrics);
      assertEquals(1, service.streams().watched().size(), "one hub");

      // the viewers leave; after the idle grace nothing of the stream is held
      mse.close();
      end(location);
    }
    await("the hub closes", () -> service.streams().find(KEY).isEmpty(), 20);
    String metrics = text(get("/metrics"));
    assertEquals(0, metric(metrics, "camflow_delivery_hub_gop_caches", null), metrics);
    assertEquals(
        0, metric(metrics, "camflow_delivery_hub_topic_consumers", KEY.cmafTopic()), metrics);
    assertEquals(
        0, metric(metrics, "camflow_delivery_hub_topic_consumers", KEY.mediaTopic()), metrics);
  }

  @Test
  void aWebRtcViewerAloneReadsTheMediaTopicOnlyAndKeepsItsCameraPulled() throws Exception {
    await("no hub left from another test", () -> service.streams().find(KEY).isEmpty(), 20);
    // nor an HLS session (it outlives its last request by HlsSessions.IDLE): the heartbeats count
    // sessions
    await("no session left from another test", () -> service.sessions().count(KEY) == 0, 30);
    try (TestPeer peer = new TestPeer(udpPort)) {
      String location = play(peer);
      await("the WebRTC session", () -> service.sessions().count(Protocol.WEBRTC) == 1, 10);
      assertEquals(1, service.streams().consumers(KEY.mediaTopic()));
      assertEquals(
          0,
          service.streams().consumers(KEY.cmafTopic()),
          "no HLS or MSE viewer: no CMAF consumer");
      assertEquals(1, service.streams().gopCaches());
      // past the window in which the offer itself counts: the session alone keeps the heartbeats
      // going
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(DemandHeartbeat.VIEWER_WINDOW_NANOS) + 500);
      assertEquals(
          "{\"stream\":\"" + KEY + "\",\"viewers\":1}",
          nextHeartbeat().replaceAll(",\"at\":\\d+", ""));
      end(location);
    }
    await("the hub closes", () -> service.streams().find(KEY).isEmpty(), 20);
    assertEquals(0, service.streams().consumers(KEY.mediaTopic()));
  }

  /** The next demand heartbeat of the stream from now on. */
  private static String nextHeartbeat() {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("camflow.demand", 0);
      c.assign(List.of(tp));
      c.seekToEnd(List.of(tp));
      c.position(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          if (KEY.toString().equals(r.key())) {
            return r.value();
          }
        }
      }
      return "no heartbeat within 10 s";
    }
  }

  private static void end(String location) throws Exception {
    assertEquals(
        200,
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + location))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode(),
        "WHEP DELETE");
  }

  /**
   * Makes a Chrome offer from {@code peer}, connects it (ICE, DTLS) and returns the session's
   * location.
   */
  private static String play(TestPeer peer) throws Exception {
    String offer =
        Files.readString(
                Path.of(
                    "..", "media", "src", "test", "resources", "sdp", "chromium-video-audio.sdp"))
            .replaceAll("a=ice-ufrag:.*", "a=ice-ufrag:" + TestPeer.UFRAG)
            .replaceAll("a=ice-pwd:.*", "a=ice-pwd:" + TestPeer.PWD)
            .replaceAll(
                "a=fingerprint:.*",
                Matcher.quoteReplacement("a=fingerprint:" + peer.fingerprint().toSdp()));
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/live/" + KEY + "/whep"))
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(offer))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    SessionDescription answer = SessionDescription.parse(created.body());
    MediaDescription video = answer.media().getFirst();
    Ice ice = answer.iceOf(video);
    Fingerprint fingerprint = answer.fingerprintsOf(video).getFirst();
    assertNotNull(peer.check(ice.ufrag(), ice.pwd(), true, 2000), "ICE check answered");
    peer.handshake(
        CertificateFingerprint.parse(fingerprint.hashFunction() + " " + fingerprint.value()),
        SrtpProfile.AES128_CM_HMAC_SHA1_80);
    return created.headers().firstValue("Location").orElseThrow();
  }

  /**
   * The value of a meter in the Prometheus text, with {@code topic} as its tag (null: no tag); 0 if
   * absent.
   */
  static double metric(String text, String name, String topic) {
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      boolean tagged = m.group(2) != null && m.group(2).contains("topic=\"" + topic + "\"");
      if (m.group(1).equals(name) && (topic == null || tagged)) {
        return Double.parseDouble(m.group(3));
      }
    }
    return 0;
  }

  static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body());
  }

  static void await(String what, BooleanSupplier done, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within " + seconds + " s");
      Thread.sleep(100);
    }
  }
}
