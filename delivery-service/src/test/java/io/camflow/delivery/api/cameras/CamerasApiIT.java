package io.camflow.delivery.api.cameras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.Tokens;
import io.camflow.registry.CameraEntry;
import io.camflow.registry.CameraRecordFormat;
import io.camflow.registry.PullMode;
import io.camflow.registry.RegistryTopic;
import io.camflow.registry.RegistryWriter;
import io.camflow.registry.SecretBox;
import io.camflow.registry.StreamEntry;
import io.camflow.registry.StreamSettings;
import io.camflow.registry.Transport;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every call of {@code /api/v1/cameras} against the real local Kafka and Keycloak: filtering by
 * permission (viewer: demo only, outsider: nothing, admin: all), add/replace/delete, field errors,
 * 404/403/409, persistence across a delivery restart, and, last, scans of every response and of the
 * raw {@code camflow.cameras} records for the passwords used.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CamerasApiIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();
  static final SecretBox BOX =
      SecretBox.fromBase64(
          Base64.getEncoder()
              .encodeToString(
                  "cameras-api-it-secrets-key-32byt".getBytes(StandardCharsets.US_ASCII)));
  static final String PASSWORD = "apit-Pa55word-first";
  static final String PASSWORD2 = "apit-Pa55word-second";
  static final String CAMERA = "apit-garage";

  static final List<String> responses = Collections.synchronizedList(new ArrayList<>());
  static final List<CamelContext> contexts = new ArrayList<>();
  static final List<DeliveryService> services = new ArrayList<>();
  static int port;
  static String admin;
  static String viewer;
  static String outsider;

  @BeforeAll
  static void start() throws Exception {
    RegistryTopic.ensure(
        KAFKA.bootstrapServers(),
        List.of(RegistryTopic.cameras(), RegistryTopic.status()),
        Duration.ofSeconds(30));
    // what ingest publishes for the file's demo camera, and a status for its stream
    try (RegistryWriter w = new RegistryWriter(KAFKA.bootstrapServers(), "apit-file")) {
      w.put(
          new CameraEntry(
              "demo",
              CameraEntry.FILE,
              List.of(
                  new StreamEntry(
                      "main",
                      "synthetic:testsrc?size=1280x720",
                      null,
                      null,
                      new StreamSettings(
                          Transport.TCP,
                          PullMode.ALWAYS,
                          java.time.Duration.ofSeconds(10),
                          java.time.Duration.ofSeconds(10)))),
              "1d"));
      w.remove(CAMERA); // left over from an earlier run against the same broker
    }
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(props(), new StringSerializer(), new StringSerializer())) {
      p.send(
              new ProducerRecord<>(
                  RegistryTopic.STATUS,
                  "demo/main",
                  "{\"stream\":\"demo/main\",\"state\":\"streaming\","
                      + "\"since\":1795282260898,\"codec\":\"h264\",\"codecString\":\"avc1.42c01e\",\"width\":1280,\"height\":720,"
                      + "\"fps\":25.0,\"bitrateKbps\":1999.6,\"lastError\":null}"))
          .get();
    }
    port = startDelivery(BOX);
    admin = Tokens.accessToken(KC, "admin", "admin");
    viewer = Tokens.accessToken(KC, "viewer", "viewer");
    outsider = Tokens.accessToken(KC, "outsider", "outsider");
  }

  static Properties props() {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    return p;
  }

  static int startDelivery(SecretBox box) throws Exception {
    int p;
    try (ServerSocket s = new ServerSocket(0)) {
      p = s.getLocalPort();
    }
    DeliveryService service =
        new DeliveryService(
                DeliverySettings.defaults(KAFKA.bootstrapServers()),
                p,
                CorsPolicy.none(),
                AuthSettings.keycloak(KC.issuer()),
                null,
                ROUTES)
            .secretsKey(box);
    CamelContext ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    contexts.add(ctx);
    services.add(service);
    return p;
  }

  @AfterAll
  static void stop() {
    contexts.forEach(CamelContext::stop);
    services.forEach(DeliveryService::close);
  }

  static HttpResponse<String> send(String method, String path, String bearer, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    responses.add(r.headers().map() + "\n" + r.body());
    return r;
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static Set<String> ids(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    Set<String> ids = new HashSet<>();
    json(r).forEach(c -> ids.add(c.get("id").asText()));
    return ids;
  }

  static Set<String> fields(HttpResponse<String> r) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    Set<String> f = new HashSet<>();
    json(r).get("errors").forEach(e -> f.add(e.get("field").asText()));
    return f;
  }

  static String camera(String password, String mode) {
    return "{\"id\":\""
        + CAMERA
        + "\",\"dvrRetention\":\"2h\",\"dvrMaxSize\":\"50GB\",\"streams\":[{\"name\":\"main\","
        + "\"url\":\"rtsp://192.0.2.10:554/live\",\"username\":\"cam\""
        + (password == null ? "" : ",\"password\":\"" + password + "\"")
        + ",\"transport\":\"tcp\",\"mode\":\""
        + mode
        + "\"},{\"name\":\"sub\",\"url\":\"rtsp://192.0.2.10/sub\"}]}";
  }

  /** The latest camflow.cameras value of a camera, as raw text. */
  static String rawRecord(String id) {
    String latest = null;
    for (ConsumerRecord<String, byte[]> r : rawRecords()) {
      if (id.equals(r.key())) {
        latest = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
      }
    }
    return latest;
  }

  static List<ConsumerRecord<String, byte[]>> rawRecords() {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            props(),
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(RegistryTopic.CAMERAS, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void openApiIsPublicAndDescribesTheCalls() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/openapi.json", null, null);
    assertEquals(200, r.statusCode());
    JsonNode doc = json(r);
    assertEquals("3.1.0", doc.get("openapi").asText());
    for (String path :
        List.of(
            "/api/v1/me",
            "/api/v1/cameras",
            "/api/v1/cameras/{id}",
            "/api/v1/cameras/{id}/access")) {
      assertTrue(doc.get("paths").has(path), path);
    }
    assertTrue(doc.at("/paths/~1api~1v1~1cameras/post").isObject());
    assertTrue(doc.at("/paths/~1api~1v1~1cameras~1{id}/delete").isObject());
  }

  /**
   * The hand-written OpenAPI document and the calls the router's {@code api} route serves under
   * /api/v1 are the same set: every (method, path) in the document is served (not 405, not "no such
   * API path"), every other method on its paths is 405, and the paths next to them are not API
   * paths. Filled with names that exist nowhere, so nothing changes.
   */
  @Test
  @Order(1)
  void theOpenApiDocumentListsExactlyTheCallsServed() throws Exception {
    JsonNode paths = json(send("GET", "/api/v1/openapi.json", null, null)).get("paths");
    List<String> methods = List.of("GET", "POST", "PUT", "DELETE");
    List<String> templates = new ArrayList<>();
    paths.fieldNames().forEachRemaining(templates::add);
    assertTrue(templates.size() >= 9, "the document has its paths: " + templates);
    for (String template : templates) {
      String path =
          template
              .replace("{id}", "no-such-camera-openapi")
              .replace("{action}", "live")
              .replace("{username}", "nobody-openapi")
              .replace("{group}", "no-group-openapi")
              .replace("{stream}", "main");
      if (template.startsWith("/api/v1/sessions/")) {
        path = "/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA";
      }
      for (String method : methods) {
        HttpResponse<String> r = send(method, path, admin, null);
        boolean served = r.statusCode() != 405 && !r.body().contains("no such API path");
        boolean documented = paths.get(template).has(method.toLowerCase());
        assertEquals(
            documented,
            served,
            method + " " + path + " (" + template + "): " + r.statusCode() + " " + r.body());
      }
      HttpResponse<String> deeper = send("GET", path + "/x", admin, null);
      assertEquals(404, deeper.statusCode(), path + "/x");
    }
    for (String path :
        List.of(
            "/api/v1",
            "/api/v1/x",
            "/api/v1/cameras/x/access/live",
            "/api/v1/cameras/x/access/live/users",
            "/api/v1/cameras/x/y")) {
      HttpResponse<String> r = send("GET", path, admin, null);
      assertEquals(404, r.statusCode(), path + ": " + r.body());
      assertTrue(r.body().contains("no such API path"), path + ": " + r.body());
    }
  }

  @Test
  @Order(2)
  void everyCallNeedsAToken() throws Exception {
    assertEquals(401, send("GET", "/api/v1/cameras", null, null).statusCode());
    assertEquals(401, send("GET", "/api/v1/cameras/demo", null, null).statusCode());
    assertEquals(
        401, send("POST", "/api/v1/cameras", null, camera(PASSWORD, "always")).statusCode());
    assertEquals(401, send("DELETE", "/api/v1/cameras/demo", "not-a-token", null).statusCode());
  }

  @Test
  @Order(3)
  void adminAddsACamera() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/cameras", admin, camera(PASSWORD, "always"));
    assertEquals(201, r.statusCode(), r.body());
    assertEquals("/api/v1/cameras/" + CAMERA, r.headers().firstValue("Location").orElse(null));
    JsonNode c = json(r);
    assertEquals("api", c.get("source").asText());
    assertEquals("2h", c.get("dvrRetention").asText());
    assertEquals("50GB", c.get("dvrMaxSize").asText());
    JsonNode main = c.get("streams").get(0);
    assertEquals("rtsp://192.0.2.10:554/live", main.get("url").asText());
    assertEquals("cam", main.get("username").asText());
    assertTrue(main.get("passwordSet").asBoolean());
    assertFalse(main.has("password"));
    assertEquals("/live/" + CAMERA + "/main/index.m3u8", main.at("/urls/hls").asText());
    assertEquals("/live/" + CAMERA + "/main/mse", main.at("/urls/mse").asText());
    assertEquals("/live/" + CAMERA + "/main/whep", main.at("/urls/webrtc").asText());
    // visible at once to a GET on this instance
    assertEquals(200, send("GET", "/api/v1/cameras/" + CAMERA, admin, null).statusCode());
  }

  @Test
  @Order(4)
  void conflicts() throws Exception {
    HttpResponse<String> again = send("POST", "/api/v1/cameras", admin, camera(PASSWORD, "always"));
    assertEquals(409, again.statusCode(), again.body());
    HttpResponse<String> file =
        send(
            "POST",
            "/api/v1/cameras",
            admin,
            "{\"id\":\"demo\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://h/x\"}]}");
    assertEquals(409, file.statusCode(), file.body());
    assertTrue(file.body().contains("config/camflow.yaml"), file.body());
    HttpResponse<String> put =
        send(
            "PUT",
            "/api/v1/cameras/demo",
            admin,
            "{\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://h/x\"}]}");
    assertEquals(409, put.statusCode(), put.body());
    assertTrue(put.body().contains("managed by config/camflow.yaml"), put.body());
    assertEquals(409, send("DELETE", "/api/v1/cameras/demo", admin, null).statusCode());
  }

  @Test
  @Order(5)
  void listingsFollowPermissions() throws Exception {
    Set<String> all = ids(send("GET", "/api/v1/cameras", admin, null));
    assertTrue(all.containsAll(Set.of("demo", CAMERA)), all.toString());
    assertEquals(Set.of("demo"), ids(send("GET", "/api/v1/cameras", viewer, null)));
    assertEquals(Set.of(), ids(send("GET", "/api/v1/cameras", outsider, null)));

    JsonNode demo = json(send("GET", "/api/v1/cameras/demo", viewer, null));
    JsonNode main = demo.get("streams").get(0);
    assertEquals("streaming", main.get("state").asText(), main.toString());
    assertEquals("h264", main.get("codec").asText());
    assertEquals(1280, main.get("width").asInt());
    assertEquals(720, main.get("height").asInt());
    assertEquals(25.0, main.get("fps").asDouble());
    assertNotNull(main.get("since").asText());
    assertEquals("/live/demo/main/index.m3u8", main.at("/urls/hls").asText());
    // a viewer sees the stream, its state and how to play it; where the camera is, who logs in to
    // it, how it is pulled and the raw error text are for administrators
    assertEquals(Set.of("id", "streams"), names(demo), demo.toString());
    assertEquals(
        Set.of(
            "name",
            "state",
            "since",
            "codec",
            "codecString",
            "width",
            "height",
            "fps",
            "bitrateKbps",
            "urls"),
        names(main),
        main.toString());
    JsonNode full = json(send("GET", "/api/v1/cameras/demo", admin, null));
    assertEquals("file", full.get("source").asText());
    JsonNode fullMain = full.get("streams").get(0);
    assertTrue(
        fullMain.has("url")
            && fullMain.has("username")
            && fullMain.has("lastError")
            && fullMain.has("viewers")
            && fullMain.has("transport")
            && fullMain.has("mode"),
        fullMain.toString());
    assertTrue(fullMain.get("lastError").isNull());
    for (JsonNode listed : json(send("GET", "/api/v1/cameras", viewer, null))) {
      assertEquals(
          Set.of("id", "streams"), names(listed), "the list shows viewers the same: " + listed);
    }
  }

  static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  @Order(6)
  void unknownAndForbiddenLookAlikeToNonAdmins() throws Exception {
    HttpResponse<String> forbidden = send("GET", "/api/v1/cameras/" + CAMERA, viewer, null);
    HttpResponse<String> unknown = send("GET", "/api/v1/cameras/no-such-camera", viewer, null);
    assertEquals(403, forbidden.statusCode());
    assertEquals(403, unknown.statusCode());
    assertEquals(forbidden.body(), unknown.body());
    assertEquals(403, send("GET", "/api/v1/cameras/demo", outsider, null).statusCode());
    assertEquals(404, send("GET", "/api/v1/cameras/no-such-camera", admin, null).statusCode());
    assertEquals(404, send("DELETE", "/api/v1/cameras/no-such-camera", admin, null).statusCode());
    assertEquals(
        404,
        send("PUT", "/api/v1/cameras/no-such-camera", admin, camera(null, "always")).statusCode());
  }

  @Test
  @Order(7)
  void changesNeedAdmin() throws Exception {
    assertEquals(
        403,
        send(
                "POST",
                "/api/v1/cameras",
                viewer,
                "{\"id\":\"apit-viewer\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://h/x\"}]}")
            .statusCode());
    assertEquals(
        403, send("PUT", "/api/v1/cameras/demo", viewer, camera(null, "always")).statusCode());
    assertEquals(403, send("DELETE", "/api/v1/cameras/demo", viewer, null).statusCode());
    assertEquals(403, send("DELETE", "/api/v1/cameras/" + CAMERA, outsider, null).statusCode());
    assertFalse(ids(send("GET", "/api/v1/cameras", admin, null)).contains("apit-viewer"));
  }

  @Test
  @Order(8)
  void validationNamesEveryBadField() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/cameras",
            admin,
            "{\"id\":\"Bad!\",\"dvrRetention\":\"forever\",\"dvrMaxSize\":\"50 GB\","
                + "\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://u:apit-url-secret@h/x\",\"mode\":\"sometimes\","
                + "\"transport\":\"pigeon\",\"idleGrace\":\"10\"},{\"name\":\"x\",\"url\":\"http://h/x\",\"readTimeout\":\"1h\"}]}");
    assertEquals(
        Set.of(
            "id",
            "dvrRetention",
            "dvrMaxSize",
            "streams[0].url",
            "streams[0].mode",
            "streams[0].transport",
            "streams[0].idleGrace",
            "streams[1].url",
            "streams[1].readTimeout"),
        fields(r));
    assertFalse(r.body().contains("apit-url-secret"));
    assertEquals(Set.of(""), fields(send("POST", "/api/v1/cameras", admin, "{not json")));
    assertEquals(
        Set.of("streams"),
        fields(send("PUT", "/api/v1/cameras/" + CAMERA, admin, "{\"streams\":[]}")));
    assertEquals(
        Set.of("id"),
        fields(
            send(
                "PUT",
                "/api/v1/cameras/" + CAMERA,
                admin,
                "{\"id\":\"other\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://h/x\"}]}")));
  }

  @Test
  @Order(9)
  void replaceKeepsOrChangesThePassword() throws Exception {
    String before = rawRecord(CAMERA);
    String sealedBefore = JSON.readTree(before).at("/streams/0/password").asText();
    assertTrue(sealedBefore.startsWith("v1:"), before);
    assertEquals(PASSWORD, BOX.open(sealedBefore, CAMERA + "/main"));

    HttpResponse<String> keep =
        send("PUT", "/api/v1/cameras/" + CAMERA, admin, camera(null, "on-demand"));
    assertEquals(200, keep.statusCode(), keep.body());
    assertEquals("on-demand", json(keep).at("/streams/0/mode").asText());
    assertTrue(json(keep).at("/streams/0/passwordSet").asBoolean());
    assertEquals(
        sealedBefore, JSON.readTree(rawRecord(CAMERA)).at("/streams/0/password").asText(), "kept");
    HttpResponse<String> empty =
        send("PUT", "/api/v1/cameras/" + CAMERA, admin, camera("", "on-demand"));
    assertEquals(200, empty.statusCode(), empty.body());
    assertEquals(
        sealedBefore,
        JSON.readTree(rawRecord(CAMERA)).at("/streams/0/password").asText(),
        "empty keeps");

    HttpResponse<String> change =
        send("PUT", "/api/v1/cameras/" + CAMERA, admin, camera(PASSWORD2, "always"));
    assertEquals(200, change.statusCode(), change.body());
    String sealedAfter = JSON.readTree(rawRecord(CAMERA)).at("/streams/0/password").asText();
    assertNotEquals(sealedBefore, sealedAfter);
    assertEquals(PASSWORD2, BOX.open(sealedAfter, CAMERA + "/main"));
    assertEquals(
        "always",
        json(send("GET", "/api/v1/cameras/" + CAMERA, admin, null)).at("/streams/0/mode").asText());
  }

  /**
   * A stored password goes only where it was given for: a new scheme, host, port or username needs
   * the password again (before, ingest sent the stored one to whatever host the URL now named).
   */
  @Test
  @Order(10)
  void aStreamMovedElsewhereNeedsItsPasswordAgain() throws Exception {
    String sealed = JSON.readTree(rawRecord(CAMERA)).at("/streams/0/password").asText();
    for (String[] moved :
        new String[][] {
          {"rtsp://198.51.100.7:554/live", "cam"}, // another host
          {"rtsp://192.0.2.10:8554/live", "cam"}, // another port
          {"rtsps://192.0.2.10:554/live", "cam"}, // another scheme
          {"rtsp://192.0.2.10:554/live", "other"}
        }) { // another username
      HttpResponse<String> r =
          send("PUT", "/api/v1/cameras/" + CAMERA, admin, cameraAt(moved[0], moved[1], null));
      assertEquals(Set.of("streams[0].password"), fields(r), moved[0] + " as " + moved[1]);
      assertEquals(
          sealed,
          JSON.readTree(rawRecord(CAMERA)).at("/streams/0/password").asText(),
          "nothing written");
      assertEquals(
          "rtsp://192.0.2.10:554/live",
          JSON.readTree(rawRecord(CAMERA)).at("/streams/0/url").asText());
    }
    // the same place by another path (and the default port written out or not): the password stays
    HttpResponse<String> samePlace =
        send(
            "PUT",
            "/api/v1/cameras/" + CAMERA,
            admin,
            cameraAt("rtsp://192.0.2.10/live2", "cam", null));
    assertEquals(200, samePlace.statusCode(), samePlace.body());
    assertEquals(sealed, JSON.readTree(rawRecord(CAMERA)).at("/streams/0/password").asText());
    // with the password given again, it may move
    HttpResponse<String> moved =
        send(
            "PUT",
            "/api/v1/cameras/" + CAMERA,
            admin,
            cameraAt("rtsp://198.51.100.7:554/live", "cam", PASSWORD));
    assertEquals(200, moved.statusCode(), moved.body());
    assertEquals(
        PASSWORD,
        BOX.open(
            JSON.readTree(rawRecord(CAMERA)).at("/streams/0/password").asText(), CAMERA + "/main"));
    // back where the tests after this one expect it (moving back needs the password too)
    assertEquals(
        200,
        send("PUT", "/api/v1/cameras/" + CAMERA, admin, camera(PASSWORD2, "always")).statusCode());
  }

  static String cameraAt(String url, String user, String password) {
    return "{\"id\":\""
        + CAMERA
        + "\",\"streams\":[{\"name\":\"main\",\"url\":\""
        + url
        + "\",\"username\":\""
        + user
        + "\""
        + (password == null ? "" : ",\"password\":\"" + password + "\"")
        + "}]}";
  }

  @Test
  @Order(11)
  void survivesARestartAndRefusesPasswordsWithoutAKey() throws Exception {
    contexts.get(0).stop();
    services.get(0).close();
    port = startDelivery(null); // a new delivery on the same Kafka, without CAMFLOW_SECRETS_KEY
    JsonNode c = json(send("GET", "/api/v1/cameras/" + CAMERA, admin, null));
    assertEquals("always", c.at("/streams/0/mode").asText(), c.toString());
    assertTrue(c.at("/streams/0/passwordSet").asBoolean());

    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/cameras",
            admin,
            "{\"id\":\"apit-nokey\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://h/x\",\"username\":\"u\","
                + "\"password\":\"apit-nokey-pw\"}]}");
    assertEquals(Set.of("streams[0].password"), fields(r));
    assertTrue(r.body().contains("CAMFLOW_SECRETS_KEY"), r.body());
    // without a password the same camera is fine
    HttpResponse<String> ok =
        send(
            "POST",
            "/api/v1/cameras",
            admin,
            "{\"id\":\"apit-nokey\",\"streams\":[{\"name\":\"main\",\"url\":\"rtsp://h/x\"}]}");
    assertEquals(201, ok.statusCode(), ok.body());
    assertEquals(204, send("DELETE", "/api/v1/cameras/apit-nokey", admin, null).statusCode());
  }

  @Test
  @Order(12)
  void delete() throws Exception {
    HttpResponse<String> r = send("DELETE", "/api/v1/cameras/" + CAMERA, admin, null);
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(404, send("GET", "/api/v1/cameras/" + CAMERA, admin, null).statusCode());
    assertFalse(ids(send("GET", "/api/v1/cameras", admin, null)).contains(CAMERA));
    assertEquals(null, rawRecord(CAMERA), "a tombstone");
  }

  @Test
  @Order(100)
  void passwordsAreNowhereInClear() {
    List<String> passwords = List.of(PASSWORD, PASSWORD2, "apit-nokey-pw", "apit-url-secret");
    for (String response : responses) {
      for (String p : passwords) {
        assertFalse(response.contains(p), "a response holds a password:\n" + response);
      }
    }
    List<ConsumerRecord<String, byte[]>> records = rawRecords();
    assertTrue(records.size() >= 4, "records read: " + records.size());
    for (ConsumerRecord<String, byte[]> rec : records) {
      if (rec.value() == null) {
        continue;
      }
      String raw = new String(rec.value(), StandardCharsets.UTF_8);
      for (String p : passwords) {
        assertFalse(
            raw.contains(p), "a camflow.cameras record holds a password in clear: " + rec.key());
        assertFalse(
            raw.contains(Base64.getEncoder().encodeToString(p.getBytes(StandardCharsets.UTF_8))));
      }
      CameraRecordFormat.decode(rec.value()); // and every record is one the format reads
    }
  }
}
