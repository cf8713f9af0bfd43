package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.ingest.IngestService;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.kafka.LocalKafka;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.admin.AdminSettings;
import io.camflow.localprocess.FreePorts;
import io.camflow.packager.PackagerService;
import io.camflow.testsupport.TestCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.representations.idm.ClientRepresentation;

/**
 * The web viewer with everything real and auth on: a GStreamer RTSP camera as camera {@code demo},
 * Kafka, ingest, packager, delivery checking tokens of the real local Keycloak, and headless
 * Chromium logging in through Keycloak's own login page. The viewer plays {@code demo/main}; the
 * outsider is refused and gets no media.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebViewerE2EIT {

  static final Path ROUTES = Path.of("..", "routes");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final String CAMERA_PASSWORD = "web-e2e-Cam-Pass-77";
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<CamelContext> contexts = new ArrayList<>();
  static final List<AutoCloseable> services = new ArrayList<>();
  static final List<String> outputs = new ArrayList<>();
  static TestCamera camera;
  static String page;
  static Runnable restoreClient;

  @BeforeAll
  static void startEverything() throws Exception {
    camera = TestCamera.builder().codec(TestCamera.Codec.H264).size(640, 360).fps(25).gop(25)
        .credentials("cam", CAMERA_PASSWORD).start();
    String yaml = """
        kafka:
          bootstrapServers: %s
        cameras:
          demo:
            streams:
              main:
                url: %s
                username: cam
                password: ${env:CAM_PASSWORD}
                mode: always
        """.formatted(KAFKA.bootstrapServers(), camera.url());
    IngestService ingest = new IngestService(ConfigLoader.parse(yaml, "web-e2e.yaml", Map.of("CAM_PASSWORD",
        CAMERA_PASSWORD)), ROUTES.resolve("ingest.camel.yaml"), "ingest-web-e2e");
    start(ingest::configure, ingest);
    ingest.started();
    PackagerService packager = new PackagerService(KAFKA.bootstrapServers(), Duration.ofNanos(333_340_000),
        Duration.ofSeconds(2), ROUTES.resolve("packager.camel.yaml"), "packager-web-e2e");
    start(packager::configure, packager);
    int port = FreePorts.find();
    DeliveryService delivery = new DeliveryService(DeliverySettings.defaults(KAFKA.bootstrapServers()), port,
        CorsPolicy.none(), AuthSettings.keycloak(KC.issuer()),
        new AdminSettings(KC.baseUrl(), "camflow", "camflow-services", "camflow-services-local-secret"),
        ROUTES.resolve("delivery.camel.yaml"));
    start(delivery::configure, delivery);
    String origin = "http://localhost:" + port;
    restoreClient = allowWebOrigin(origin);
    page = origin + "/?stream=demo/main";
  }

  static void start(LiveHlsE2EIT.Configure configure, AutoCloseable service) throws Exception {
    CamelContext ctx = new DefaultCamelContext();
    configure.into(ctx);
    ctx.start();
    contexts.add(ctx);
    services.add(service);
  }

  /** The realm lets camflow-web log in to this test's port (it knows :8080 only); undone after. */
  static Runnable allowWebOrigin(String origin) {
    try (Keycloak admin = Keycloak.getInstance(KC.baseUrl().toString(), "master", "admin", "admin", "admin-cli")) {
      ClientRepresentation web = admin.realm("camflow").clients().findByClientId("camflow-web").get(0);
      ClientResource resource = admin.realm("camflow").clients().get(web.getId());
      List<String> redirects = new ArrayList<>(web.getRedirectUris());
      List<String> origins = new ArrayList<>(web.getWebOrigins());
      List<String> beforeRedirects = List.copyOf(redirects);
      List<String> beforeOrigins = List.copyOf(origins);
      redirects.add(origin + "/*");
      origins.add(origin);
      web.setRedirectUris(redirects);
      web.setWebOrigins(origins);
      web.setAttributes(new java.util.HashMap<>(web.getAttributes()));
      web.getAttributes().put("post.logout.redirect.uris", String.join("##", redirects));
      resource.update(web);
      return () -> {
        try (Keycloak again = Keycloak.getInstance(KC.baseUrl().toString(), "master", "admin", "admin", "admin-cli")) {
          ClientRepresentation now = again.realm("camflow").clients().findByClientId("camflow-web").get(0);
          now.setRedirectUris(beforeRedirects);
          now.setWebOrigins(beforeOrigins);
          again.realm("camflow").clients().get(now.getId()).update(now);
        }
      };
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (restoreClient != null) {
      restoreClient.run();
    }
    for (int i = contexts.size() - 1; i >= 0; i--) {
      contexts.get(i).stop();
    }
    for (AutoCloseable s : services) {
      s.close();
    }
    if (camera != null) {
      camera.close();
    }
  }

  static JsonNode browse(String user, String password, String expect) throws Exception {
    Process node = new ProcessBuilder("node", "src/test/js/web-login.mjs", page, user, password, expect, "30")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser run finishes");
    outputs.add(out);
    assertEquals(0, node.exitValue(), "browser driver output: " + out);
    return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
  }

  @Test
  @Order(1)
  void theViewerLogsInThroughKeycloakAndWatchesDemo() throws Exception {
    JsonNode r = browse("viewer", "viewer", "play");
    System.out.println("web viewer as viewer: " + r);
    assertEquals("playing", r.get("state").asText(), r.toString());
    assertTrue(r.get("currentTime").asDouble() > 1, r.toString());
    assertEquals("viewer", r.get("user").asText(), r.toString());
  }

  @Test
  @Order(2)
  void theOutsiderIsRefusedAndGetsNoMedia() throws Exception {
    JsonNode r = browse("outsider", "outsider", "denied");
    System.out.println("web viewer as outsider: " + r);
    assertEquals("denied", r.get("state").asText(), r.toString());
    int live = 0;
    for (JsonNode req : r.get("requests")) { // "<status> <url without query>[ ×n]"
      String line = req.asText();
      if (line.contains("/live/")) {
        live++;
        assertFalse(line.startsWith("200"), "no media or playlist for the outsider: " + line);
      }
    }
    assertTrue(live > 0, "the page did ask for the stream: " + r);
  }

  @Test
  @Order(3)
  void theCameraPasswordIsInNoLogAndNoBrowserOutput() throws Exception {
    Path log = Path.of(System.getProperty("camflow.test.log", "target/test-logs/e2e-it.log"));
    List<String> lines = Files.readAllLines(log);
    assertTrue(lines.size() > 10, "the log was captured");
    for (String line : lines) {
      assertFalse(line.contains(CAMERA_PASSWORD), "a log line holds the camera password: " + line);
      assertFalse(line.contains("camflow-services-local-secret"), "a log line holds the client secret");
    }
    for (String out : outputs) {
      assertFalse(out.contains(CAMERA_PASSWORD));
      assertFalse(out.contains("eyJ"), "no token in the browser driver's output");
    }
  }
}
