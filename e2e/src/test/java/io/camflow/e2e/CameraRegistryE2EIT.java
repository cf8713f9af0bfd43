package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.ingest.registry.RegistrySync;
import io.camflow.registry.SecretBox;
import io.camflow.testsupport.TestCamera;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cameras added, changed and removed through delivery's API reach a running ingest without a
 * restart, through {@code camflow.cameras}: a real GStreamer camera with Digest credentials, the
 * local Kafka broker, ingest with its registry sync and delivery (auth off: the API's access rules
 * are CamerasApiIT's subject), sharing one CAMFLOW_SECRETS_KEY. The file's camera is published into
 * the registry and stays the file's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CameraRegistryE2EIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String USER = "regcam";
  static final String PASSWORD = "reg-Secret-77";
  static final String MEDIA = "camflow.media.regcam.main";
  static final SecretBox BOX =
      SecretBox.fromBase64(
          Base64.getEncoder()
              .encodeToString(
                  "camera-registry-e2e-key-32-byte!".getBytes(StandardCharsets.US_ASCII)));

  static TestCamera camera;
  static LivePipeline pipeline;
  static CamelContext ingestContext;
  static RegistrySync sync;
  static final List<String> newCameras = new CopyOnWriteArrayList<>();
  static final List<String> responses = new CopyOnWriteArrayList<>();
  static String api;

  @BeforeAll
  static void startEverything() throws Exception {
    camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(320, 240)
            .fps(25)
            .gop(25)
            .credentials(USER, PASSWORD)
            .start();
    pipeline =
        LivePipeline.named("registry-e2e")
            .cameras(
                """
                cameras:
                  regfile:
                    streams:
                      main:
                        url: rtsp://192.0.2.1/file-camera
                        username: fileuser
                        password: ${env:REG_FILE_PASSWORD}
                        mode: on-demand
                """,
                Map.of("REG_FILE_PASSWORD", "reg-File-Secret-5"))
            .registry(BOX, newCameras::add)
            .withoutPackager()
            .delivery(d -> d.secretsKey(BOX))
            .start();
    ingestContext = pipeline.ingestContext();
    sync = pipeline.registry();
    api = "http://127.0.0.1:" + pipeline.port() + "/api/v1/cameras";
    HttpResponse<String> stale =
        send("DELETE", api + "/regcam", null); // an earlier run's, same broker
    assertTrue(stale.statusCode() == 204 || stale.statusCode() == 404, stale.body());
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (camera != null) {
      camera.close();
    }
  }

  static HttpResponse<String> send(String method, String url, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    responses.add(r.body());
    return r;
  }

  static String cameraJson(String url, String password, String mode) {
    return """
        {"id":"regcam","streams":[{"name":"main","url":"%s","username":"%s","password":"%s","mode":"%s",
         "readTimeout":"3s"}]}"""
        .formatted(url, USER, password, mode);
  }

  static long mediaEnd() {
    Properties p = new Properties();
    p.put("bootstrap.servers", pipeline.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(MEDIA, 0);
      return c.endOffsets(List.of(tp), Duration.ofSeconds(10)).getOrDefault(tp, 0L);
    }
  }

  static String state() throws Exception {
    HttpResponse<String> r = send("GET", api + "/regcam", null);
    return r.statusCode() == 200
        ? JSON.readTree(r.body()).at("/streams/0/state").asText()
        : "http " + r.statusCode();
  }

  static BooleanSupplier stateIs(String wanted) {
    return () -> {
      try {
        return wanted.equals(state());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  @Order(1)
  void theFilesCameraIsInTheRegistryAndStaysTheFiles() throws Exception {
    HttpResponse<String> r = send("GET", api + "/regfile", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode c = JSON.readTree(r.body());
    assertEquals("file", c.get("source").asText());
    assertEquals("fileuser", c.at("/streams/0/username").asText());
    assertFalse(
        c.at("/streams/0/passwordSet").asBoolean(), "the file's password stays in ingest's config");
    assertEquals(409, send("DELETE", api + "/regfile", null).statusCode());
  }

  @Test
  @Order(2)
  void anAddedCameraIsPulledWithoutARestart() throws Exception {
    HttpResponse<String> r = send("POST", api, cameraJson(camera.url(), PASSWORD, "always"));
    assertEquals(201, r.statusCode(), r.body());
    long start = mediaEnd();
    await(() -> mediaEnd() > start + 50, Duration.ofSeconds(30), "access units in " + MEDIA);
    await(stateIs("streaming"), Duration.ofSeconds(15), "state streaming");
    assertTrue(newCameras.contains("regcam"), "the new camera's Keycloak roles were asked for");
    // the first "streaming" status may come before the first stats of the stream (codec, size)
    await(
        () -> {
          try {
            return "h264"
                .equals(
                    JSON.readTree(send("GET", api + "/regcam", null).body())
                        .at("/streams/0/codec")
                        .asText());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        Duration.ofSeconds(15),
        "codec in the stream's status");
    JsonNode s = JSON.readTree(send("GET", api + "/regcam", null).body()).at("/streams/0");
    assertEquals("h264", s.get("codec").asText(), s.toString());
    assertEquals(320, s.get("width").asInt(), s.toString());
  }

  @Test
  @Order(3)
  void aChangedPasswordIsPickedUp() throws Exception {
    HttpResponse<String> r =
        send("PUT", api + "/regcam", cameraJson(camera.url(), "wrong-" + PASSWORD, "always"));
    assertEquals(200, r.statusCode(), r.body());
    await(stateIs("auth-failed"), Duration.ofSeconds(30), "the camera refuses the new password");
  }

  @Test
  @Order(4)
  void aChangedModeIsPickedUp() throws Exception {
    HttpResponse<String> r =
        send("PUT", api + "/regcam", cameraJson(camera.url(), PASSWORD, "on-demand"));
    assertEquals(200, r.statusCode(), r.body());
    await(stateIs("idle"), Duration.ofSeconds(30), "on-demand and nobody watching: idle");
    r =
        send(
            "PUT",
            api + "/regcam",
            cameraJson(camera.url(), "", "always")); // empty: keep the password
    assertEquals(200, r.statusCode(), r.body());
    long before = mediaEnd();
    await(
        () -> mediaEnd() > before + 50,
        Duration.ofSeconds(30),
        "pulled again, with the kept password");
  }

  @Test
  @Order(5)
  void aRemovedCameraIsStopped() throws Exception {
    assertNotNull(ingestContext.getRoute("stream:regcam/main"));
    assertEquals(204, send("DELETE", api + "/regcam", null).statusCode());
    await(
        () -> ingestContext.getRoute("stream:regcam/main") == null,
        Duration.ofSeconds(15),
        "route removed");
    Thread.sleep(1000);
    long stopped = mediaEnd();
    Thread.sleep(2000);
    assertEquals(stopped, mediaEnd(), "nothing is pulled any more");
    assertNull(ingestContext.getRoute("stream:regcam/main"));
  }

  @Test
  @Order(6)
  void anApiRecordForTheFilesIdIsIgnoredByIngest() throws Exception {
    org.apache.camel.Route before = ingestContext.getRoute("stream:regfile/main");
    assertNotNull(before);
    try (io.camflow.registry.RegistryWriter w =
        new io.camflow.registry.RegistryWriter(pipeline.bootstrapServers(), "e2e")) {
      long at =
          w.put(
              new io.camflow.registry.CameraEntry(
                  "regfile",
                  io.camflow.registry.CameraEntry.API,
                  List.of(
                      new io.camflow.registry.StreamEntry(
                          "main",
                          camera.url(),
                          USER,
                          null,
                          io.camflow.registry.StreamSettings.UNSET.withMode(
                              io.camflow.registry.PullMode.ALWAYS))),
                  null));
      assertTrue(
          sync.registry().awaitHandled(at, Duration.ofSeconds(10)), "ingest read the record");
    }
    Thread.sleep(500);
    assertTrue(
        before == ingestContext.getRoute("stream:regfile/main"), "the file's route was left alone");
  }

  @Test
  @Order(100)
  void noPasswordInAnyResponse() {
    for (String body : responses) {
      assertFalse(body.contains(PASSWORD) || body.contains("reg-File-Secret-5"), body);
    }
  }
}
