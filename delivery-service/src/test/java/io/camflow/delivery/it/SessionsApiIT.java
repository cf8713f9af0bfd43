package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.mse.MseSettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.Tokens;
import io.camflow.media.AccessUnit;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.MseSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/sessions} and the viewer limits shared by HLS and MSE, against the real broker and
 * the real local Keycloak: CMAF topics written at camera pace, viewers made of java.net.http (HLS
 * requests and a WebSocket), an admin listing and disconnecting them. A second delivery with limits
 * of 2 in total and 1 per stream shows the limits shared across protocols.
 */
class SessionsApiIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String[] CODECS = {"avc1.64001f"};
  static final Pattern SEGMENT = Pattern.compile("\\n(seg-\\d+\\.m4s\\?st=[^\\n]+)");
  static final Pattern ST = Pattern.compile("\\?st=([^\"\\n]+)");
  static final List<String> TOPICS =
      List.of(
          "camflow.cmaf.demo.sessit",
          "camflow.cmaf.demo.sesslim1",
          "camflow.cmaf.demo.sesslim2",
          "camflow.cmaf.sessview.main");

  static final List<CmafFeed> feeds = new ArrayList<>();
  static final List<CamelContext> contexts = new ArrayList<>();
  static final List<DeliveryService> services = new ArrayList<>();
  static final List<Viewer> viewers = new ArrayList<>();
  static int port;
  static int limitedPort;
  static String admin;
  static String viewer;

  @BeforeAll
  static void start() throws Exception {
    List<String> topics = new ArrayList<>(TOPICS);
    topics.add("camflow.demand");
    DeliveryIT.createTopics(topics.toArray(String[]::new));
    List<AccessUnit> clip = EncodedStream.h264(8, 25, 320, 240);
    for (String topic : TOPICS) {
      CmafFeed feed = new CmafFeed(KAFKA.bootstrapServers(), topic, clip);
      feed.start();
      feeds.add(feed);
    }
    admin = Tokens.accessToken(KC, "admin", "admin");
    viewer = Tokens.accessToken(KC, "viewer", "viewer");
    port = startDelivery(MseSettings.defaults().withLimits(50, 20));
    limitedPort = startDelivery(MseSettings.defaults().withLimits(2, 1));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (feeds.stream().anyMatch(f -> f.segmentsWritten < 2) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  static int startDelivery(MseSettings mse) throws Exception {
    int p;
    try (ServerSocket s = new ServerSocket(0)) {
      p = s.getLocalPort();
    }
    DeliveryService service =
        new DeliveryService(
            DeliverySettings.defaults(KAFKA.bootstrapServers()).withMse(mse),
            p,
            CorsPolicy.none(),
            AuthSettings.keycloak(KC.issuer()),
            null,
            ROUTES);
    CamelContext ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    contexts.add(ctx);
    services.add(service);
    return p;
  }

  @AfterAll
  static void stop() throws Exception {
    viewers.forEach(Viewer::close);
    contexts.forEach(CamelContext::stop);
    services.forEach(DeliveryService::close);
    for (CmafFeed f : feeds) {
      f.close();
    }
  }

  static HttpResponse<String> send(int port, String method, String path, String bearer)
      throws Exception {
    return send(port, method, path, bearer, null);
  }

  static HttpResponse<String> send(int port, String method, String path, String bearer, String json)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<JsonNode> sessions(String query) throws Exception {
    HttpResponse<String> r = send(port, "GET", "/api/v1/sessions" + query, admin);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertFalse(r.body().contains(admin) || r.body().contains(viewer), "no token in the listing");
    assertFalse(r.body().contains("st="), "no stream token in the listing");
    return StreamSupport.stream(JSON.readTree(r.body()).spliterator(), false).toList();
  }

  static JsonNode one(List<JsonNode> list, String protocol, String user, String stream) {
    return list.stream()
        .filter(
            s ->
                s.path("protocol").asText().equals(protocol)
                    && s.path("user").asText().equals(user)
                    && s.path("stream").asText().equals(stream))
        .findFirst()
        .orElse(null);
  }

  /**
   * One HLS "player": the playlist with its user token, then the newest segment with the stream
   * token.
   */
  static int watchHls(int port, String stream, String bearer) throws Exception {
    HttpResponse<String> playlist =
        send(port, "GET", "/live/demo/" + stream + "/index.m3u8", bearer);
    if (playlist.statusCode() != 200) {
      return playlist.statusCode();
    }
    Matcher m = SEGMENT.matcher(playlist.body());
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    assertNotNull(last, playlist.body());
    HttpResponse<String> segment = send(port, "GET", "/live/demo/" + stream + "/" + last, null);
    return segment.statusCode();
  }

  @Test
  void listsAnMseAndAnHlsViewerWithUserProtocolStreamAndGrowingBytes() throws Exception {
    Viewer mse = Viewer.open(port, "demo/sessit", viewer);
    mse.firstFragment.get(10, TimeUnit.SECONDS);
    assertEquals(200, watchHls(port, "sessit", viewer));
    List<JsonNode> list = sessions("?camera=demo&stream=sessit");
    JsonNode m = one(list, "mse", "viewer", "sessit");
    JsonNode h = one(list, "hls", "viewer", "sessit");
    assertNotNull(m, list.toString());
    assertNotNull(h, list.toString());
    for (JsonNode s : List.of(m, h)) {
      assertEquals("demo", s.path("camera").asText());
      assertEquals("127.0.0.1", s.path("remote").asText());
      assertTrue(s.path("id").asText().matches("[A-Za-z0-9_-]{22}"), s.toString());
      assertTrue(Instant.parse(s.path("since").asText()).isBefore(Instant.now().plusSeconds(1)));
      assertTrue(s.path("bytes").asLong() > 1000, "media bytes counted: " + s);
    }
    assertFalse(m.path("id").asText().equals(h.path("id").asText()));
    Thread.sleep(1500);
    assertEquals(200, watchHls(port, "sessit", viewer));
    List<JsonNode> later = sessions("?camera=demo");
    JsonNode m2 =
        later.stream().filter(s -> s.path("id").equals(m.path("id"))).findFirst().orElseThrow();
    JsonNode h2 =
        later.stream().filter(s -> s.path("id").equals(h.path("id"))).findFirst().orElseThrow();
    assertTrue(
        m2.path("bytes").asLong() > m.path("bytes").asLong(), "MSE bytes grow: " + m + " → " + m2);
    assertTrue(
        h2.path("bytes").asLong() > h.path("bytes").asLong(), "HLS bytes grow: " + h + " → " + h2);
    assertTrue(sessions("?camera=garage").isEmpty(), "filtered by camera");
    assertTrue(sessions("?stream=nosuch").isEmpty(), "filtered by stream");
    // the metrics come from the same sessions
    String metrics = send(port, "GET", "/metrics", null).body();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("camflow_delivery_viewers{")
                        && l.contains("protocol=\"hls\"")
                        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1),
        metrics);
    assertTrue(MseIT.meter(metrics, "camflow_delivery_viewers{") >= 1, metrics);
    mse.close();
  }

  @Test
  void theCamerasApiShowsEachStreamsViewersByProtocolFromTheSessions() throws Exception {
    send(port, "DELETE", "/api/v1/cameras/sessview", admin); // a run before may have left it
    HttpResponse<String> added =
        send(
            port,
            "POST",
            "/api/v1/cameras",
            admin,
            "{\"id\":\"sessview\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://192.0.2.1/x\"}]}");
    assertEquals(201, added.statusCode(), added.body());
    try {
      JsonNode before = JSON.readTree(send(port, "GET", "/api/v1/cameras/sessview", admin).body());
      assertEquals(
          0,
          before.path("streams").path(0).path("viewers").path("hls").asInt(-1),
          before.toString());
      assertEquals(0, before.path("streams").path(0).path("viewers").path("mse").asInt(-1));
      Viewer mse = Viewer.open(port, "sessview/main", admin);
      mse.firstFragment.get(10, TimeUnit.SECONDS);
      HttpResponse<String> playlist = send(port, "GET", "/live/sessview/main/index.m3u8", admin);
      assertEquals(200, playlist.statusCode());
      JsonNode after = JSON.readTree(send(port, "GET", "/api/v1/cameras/sessview", admin).body());
      assertEquals(
          1, after.path("streams").path(0).path("viewers").path("hls").asInt(), after.toString());
      assertEquals(1, after.path("streams").path(0).path("viewers").path("mse").asInt());
      mse.close();
    } finally {
      assertEquals(204, send(port, "DELETE", "/api/v1/cameras/sessview", admin).statusCode());
    }
  }

  @Test
  void onlyAdminsMayListOrDisconnect() throws Exception {
    assertEquals(401, send(port, "GET", "/api/v1/sessions", null).statusCode());
    HttpResponse<String> r = send(port, "GET", "/api/v1/sessions", viewer);
    assertEquals(403, r.statusCode());
    assertEquals(403, send(port, "DELETE", "/api/v1/sessions/whatever", viewer).statusCode());
    assertEquals(400, send(port, "GET", "/api/v1/sessions?camera=Bad%20Name", admin).statusCode());
    JsonNode unknown =
        JSON.readTree(
            send(port, "DELETE", "/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA", admin).body());
    assertEquals("no such session", unknown.path("error").asText());
    assertEquals(
        404, send(port, "DELETE", "/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA", admin).statusCode());
    assertEquals(
        404, send(port, "GET", "/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA", admin).statusCode());
    assertEquals(404, send(port, "GET", "/api/v1/sessions/a/b", admin).statusCode());
    assertEquals(405, send(port, "PUT", "/api/v1/sessions", admin).statusCode());
    String openapi = send(port, "GET", "/api/v1/openapi.json", null).body();
    JsonNode paths = JSON.readTree(openapi).path("paths");
    assertTrue(
        paths.has("/api/v1/sessions") && paths.has("/api/v1/sessions/{id}"),
        "in the OpenAPI document");
  }

  @Test
  void disconnectingAnMseViewerSendsTheEventThenClose1008WithTheReason() throws Exception {
    Viewer mse = Viewer.open(port, "demo/sessit", admin);
    mse.firstFragment.get(10, TimeUnit.SECONDS);
    JsonNode s = one(sessions("?stream=sessit"), "mse", "admin", "sessit");
    assertNotNull(s);
    String id = s.path("id").asText();
    assertEquals(200, send(port, "GET", "/api/v1/sessions/" + id, admin).statusCode());
    assertEquals(204, send(port, "DELETE", "/api/v1/sessions/" + id, admin).statusCode());
    MseSocket.Close close = mse.closed().get(5, TimeUnit.SECONDS);
    assertEquals(1008, close.code());
    assertEquals("disconnected by an administrator", close.reason());
    String last = mse.texts.get(mse.texts.size() - 1);
    assertEquals("disconnected", JSON.readTree(last).path("type").asText(), mse.texts.toString());
    assertEquals("disconnected by an administrator", JSON.readTree(last).path("reason").asText());
    assertTrue(
        sessions("").stream().noneMatch(x -> x.path("id").asText().equals(id)),
        "gone from the list");
    assertEquals(404, send(port, "DELETE", "/api/v1/sessions/" + id, admin).statusCode());
  }

  @Test
  void aDisconnectedHlsViewerIsRefusedDuringTheQuarantine() throws Exception {
    HttpResponse<String> playlist = send(port, "GET", "/live/demo/sessit/index.m3u8", admin);
    assertEquals(200, playlist.statusCode());
    Matcher st = ST.matcher(playlist.body());
    assertTrue(st.find());
    JsonNode s = one(sessions("?stream=sessit"), "hls", "admin", "sessit");
    assertNotNull(s);
    assertEquals(
        204, send(port, "DELETE", "/api/v1/sessions/" + s.path("id").asText(), admin).statusCode());
    HttpResponse<String> refused = send(port, "GET", "/live/demo/sessit/index.m3u8", admin);
    assertEquals(403, refused.statusCode());
    assertTrue(refused.body().contains("disconnected by an administrator"), refused.body());
    long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retry > 20 && retry <= 30, "Retry-After " + retry);
    Matcher seg = SEGMENT.matcher(playlist.body());
    assertTrue(seg.find());
    assertEquals(
        403,
        send(port, "GET", "/live/demo/sessit/" + seg.group(1), null).statusCode(),
        "its media with the stream token too");
    assertTrue(
        sessions("?stream=sessit").stream()
            .noneMatch(
                x ->
                    x.path("user").asText().equals("admin")
                        && x.path("protocol").asText().equals("hls")),
        "not listed again");
    assertEquals(200, watchHls(port, "sessit", viewer), "another user is not affected");
  }

  @Test
  void limitsAreSharedByHlsAndMseAndNeverCutAViewerOff() throws Exception {
    // 2 in total, 1 per stream
    assertEquals(200, watchHls(limitedPort, "sesslim1", admin));
    HttpResponse<String> second =
        send(limitedPort, "GET", "/live/demo/sesslim1/index.m3u8", viewer);
    assertEquals(503, second.statusCode());
    assertTrue(second.body().contains("viewer limit of the stream reached"), second.body());
    assertTrue(Long.parseLong(second.headers().firstValue("Retry-After").orElse("0")) > 0);
    assertFalse(second.body().contains("#EXTM3U"), "no playlist, not half a stream");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, watchHls(limitedPort, "sesslim1", admin), "the first keeps playing");
    }
    Viewer mseOnFull = Viewer.open(limitedPort, "demo/sesslim1", viewer);
    assertEquals(
        1013,
        mseOnFull.closed().get(5, TimeUnit.SECONDS).code(),
        "an HLS viewer's place counts for MSE");
    assertTrue(mseOnFull.texts.contains("{\"type\":\"limit\"}"), mseOnFull.texts.toString());
    Viewer mse = Viewer.open(limitedPort, "demo/sesslim2", viewer);
    mse.firstFragment.get(10, TimeUnit.SECONDS);
    HttpResponse<String> third = send(limitedPort, "GET", "/live/demo/sesslim2/index.m3u8", admin);
    assertEquals(503, third.statusCode(), "an MSE viewer's place counts for HLS");
    assertTrue(third.body().contains("viewer limit reached"), "2 in total: " + third.body());
    assertEquals(200, watchHls(limitedPort, "sesslim1", admin), "still playing");
    assertFalse(mse.closed().isDone(), "the MSE viewer too");
    mse.close();
  }

  /**
   * An MSE viewer on java.net.http's WebSocket: its text events, media bytes, and how it was
   * closed.
   */
  static final class Viewer extends MseSocket {

    final List<String> texts = new CopyOnWriteArrayList<>();
    final AtomicLong bytes = new AtomicLong();
    final CompletableFuture<Boolean> firstFragment = new CompletableFuture<>();
    private int binaries;

    /**
     * @param stream camera/stream
     */
    static Viewer open(int port, String stream, String token) throws Exception {
      Viewer v = new Viewer();
      v.connect(HTTP, URI.create("ws://127.0.0.1:" + port + "/live/" + stream + "/mse"), token)
          .get(10, TimeUnit.SECONDS);
      v.play(CODECS);
      viewers.add(v);
      return v;
    }

    @Override
    protected void text(String message) {
      texts.add(message);
    }

    @Override
    protected void binaryPart(ByteBuffer part, boolean last) {
      bytes.addAndGet(part.remaining());
      if (last && ++binaries >= 2) { // the init segment, then a fragment
        firstFragment.complete(true);
      }
    }

    void close() {
      abort();
    }
  }
}
