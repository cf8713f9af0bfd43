package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.registry.SecretBox;
import io.camflow.testsupport.TestCamera;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web viewer with everything real and auth on: a GStreamer RTSP camera as camera {@code demo},
 * Kafka, ingest, packager, delivery checking tokens of the real local Keycloak, and headless
 * Chromium logging in through Keycloak's own login page. The viewer plays {@code demo/main}, sees
 * it in the grid (MSE or, where delivery has no MSE door, HLS) and in the single view with its
 * statistics; the outsider is refused, gets no media and an empty grid that says why; the admin
 * reaches the admin page and its access list, adds a camera there (the same GStreamer camera, with
 * its password: ingest follows the registry), watches it, edits it and removes it; the single view
 * shows a camera outage and plays again by itself when the camera is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebViewerE2EIT {

  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final String CAMERA_PASSWORD = "web-e2e-Cam-Pass-77";
  static final ObjectMapper JSON = new ObjectMapper();

  /** CAMFLOW_SECRETS_KEY of delivery and ingest: the admin page adds a camera with a password. */
  static final SecretBox SECRETS =
      SecretBox.fromBase64(
          Base64.getEncoder()
              .encodeToString(
                  "web-viewer-e2e-secrets-key-32-b!".getBytes(StandardCharsets.US_ASCII)));

  static final List<String> outputs = new ArrayList<>();
  static TestCamera camera;
  static LivePipeline pipeline;
  static String page;
  static DeliveryService delivery;

  @BeforeAll
  static void startEverything() throws Exception {
    // GOP in frames: 1 s by default; benchmarks of instant start use a longer one
    // (docs/BENCHMARKS.md)
    camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(640, 360)
            .fps(25)
            .gop(Integer.getInteger("camflow.e2e.web.gop", 25))
            .credentials("cam", CAMERA_PASSWORD)
            .start();
    pipeline =
        LivePipeline.named("web-e2e")
            .cameras(
                """
                cameras:
                  demo:
                    streams:
                      main:
                        url: %s
                        username: cam
                        password: ${env:CAM_PASSWORD}
                        mode: always
                """
                    .formatted(camera.url()),
                Map.of("CAM_PASSWORD", CAMERA_PASSWORD))
            .registry(SECRETS, camera -> {}) // cameras added on the admin page
            .delivery(
                d ->
                    d.keycloakWithAdmin(KC)
                        .secretsKey(SECRETS)
                        .webrtc(WhepSettings.defaults())
                        .sessionTokenGrace(java.time.Duration.ofSeconds(SESSION_GRACE_S))
                        .https())
            .start();
    delivery = pipeline.delivery();
    page = "http://localhost:" + pipeline.port() + "/?stream=demo/main";
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

  static JsonNode browse(String user, String password, String expect) throws Exception {
    return driver(Map.of(), 120, "web-login.mjs", page, user, password, expect, "30");
  }

  /**
   * Runs a browser driver of src/test/js with these arguments and environment; it must end within
   * {@code seconds} with exit 0. Its JSON report (the last line of its output).
   */
  static JsonNode driver(Map<String, String> env, int seconds, String script, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("node", "src/test/js/" + script));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    Process node = pb.start();
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(seconds, TimeUnit.SECONDS), "the browser run finishes");
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

  /** Runs web-grid.mjs (the grid at /) as this user; its JSON report. */
  static JsonNode grid(String user, String password, String expect) throws Exception {
    return driver(
        Map.of(),
        150,
        "web-grid.mjs",
        page.substring(0, page.indexOf('?')),
        user,
        password,
        expect,
        "30");
  }

  @Test
  @Order(3)
  void theViewerSeesDemoInTheGridAndOpensItsSingleView() throws Exception {
    JsonNode r = grid("viewer", "viewer", "grid");
    System.out.println("web grid as viewer: tile " + r.get("tile") + ", single " + r.get("single"));
    assertEquals("grid", r.get("state").asText(), r.toString());
    assertEquals("demo", r.get("tiles").get(0).get("camera").asText(), r.toString());
    JsonNode tile = r.get("tile");
    assertEquals("playing", tile.get("state").asText(), r.toString());
    // WebRTC first (the "plays the demo over WebRTC by default"); the tile says which
    assertEquals("webrtc", tile.get("protocol").asText(), r.toString());
    assertEquals("WebRTC", tile.get("overlay").get("protocol").asText(), r.toString());
    // out of sight it paused and let its stream go (the MSE socket closed); back in sight it played
    // again
    JsonNode offscreen = tile.get("offscreen");
    assertEquals("paused", offscreen.get("paused").get("state").asText(), r.toString());
    assertTrue(
        offscreen.get("pausedAfterMs").asLong() >= 4_000,
        "not before the grace period: " + offscreen);
    if ("mse".equals(tile.get("protocol").asText())) {
      assertEquals(
          offscreen.get("socketsPaused").get("opened").asInt(),
          offscreen.get("socketsPaused").get("closed").asInt(),
          "no MSE socket open while paused: " + offscreen);
    }
    JsonNode poster = offscreen.get("poster");
    assertTrue(
        poster.path("width").asInt() > 0 && poster.path("height").asInt() > 0,
        "a paused tile shows the camera's snapshot: " + poster);
    JsonNode mjpeg = offscreen.get("mjpeg");
    assertEquals(320, mjpeg.path("width").asInt(), "MJPEG in an <img>, 320 px wide: " + mjpeg);
    assertTrue(mjpeg.path("pictures").asInt() >= 3, "the MJPEG picture moves: " + mjpeg);
    assertEquals("playing", offscreen.get("again").get("state").asText(), r.toString());
    // the picture wall: the camera's pictures over the frames socket on a canvas, 320 px wide
    JsonNode wall = r.get("wall");
    assertTrue(wall.path("pictures").asInt() >= 3, "the wall's canvas gets pictures: " + wall);
    assertEquals(320, wall.path("width").asInt(), wall.toString());
    assertTrue(wall.path("litShare").asDouble() > 0.001, "a picture on the canvas: " + wall);
    assertTrue(
        Math.abs(wall.path("capturedAt").asLong() - System.currentTimeMillis()) < 60_000,
        "the picture's capture time came with it: " + wall);
    JsonNode single = r.get("single");
    assertEquals("#/watch/demo/main", single.get("hash").asText(), r.toString());
    assertEquals("playing", single.get("state").asText(), r.toString());
    assertEquals("640×360", single.get("stats").get("resolution").asText(), r.toString());
    assertTrue(single.get("stats").get("fps").asDouble() > 5, r.toString());
  }

  @Test
  @Order(3)
  void whereWebRtcCannotConnectTheTileFallsBackToMseByItself() throws Exception {
    // a second delivery whose WebRTC answer names only an address nobody reaches (TEST-NET-3), as a
    // server behind NAT with no CAMFLOW_WEBRTC_HOSTS would: the connection never comes up
    try (LivePipeline.ExtraDelivery unreachable =
        pipeline.startDelivery(
            d ->
                d.keycloak(KC)
                    .webrtc(
                        WhepSettings.defaults(),
                        WebRtcTransportSettings.defaults()
                            .withPort(0)
                            .withExtraHosts(List.of("203.0.113.1"))
                            .withInterfaceCandidates(false)))) {
      String origin = "http://localhost:" + unreachable.port();
      JsonNode r = driver(Map.of(), 150, "web-grid.mjs", origin, "viewer", "viewer", "grid", "30");
      System.out.println("web grid, WebRTC unreachable: tile " + r.get("tile"));
      assertEquals("mse", r.get("tile").get("protocol").asText(), r.toString());
      assertEquals("playing", r.get("tile").get("state").asText(), r.toString());
      assertTrue(
          r.get("requests").toString().contains("/live/demo/main/whep"),
          "WebRTC was tried first: " + r);
    }
  }

  @Test
  @Order(4)
  void theOutsiderSeesAnEmptyGridThatSaysWhy() throws Exception {
    JsonNode r = grid("outsider", "outsider", "empty");
    System.out.println("web grid as outsider: " + r.get("status") + " / " + r.get("message"));
    assertEquals("empty", r.get("state").asText(), r.toString());
    assertEquals(0, r.get("tiles").size(), r.toString());
    assertTrue(r.get("message").asText().contains("may not watch any camera"), r.toString());
  }

  @Test
  @Order(5)
  void theAdminOpensTheAdminPageSeesWhoMayWatchDemoAndFieldErrors() throws Exception {
    JsonNode r = grid("admin", "admin", "admin");
    System.out.println("web admin page: " + r.get("admin"));
    JsonNode admin = r.get("admin");
    assertEquals("admin", admin.get("view").asText(), r.toString());
    assertTrue(
        List.of("ready", "unavailable").contains(admin.get("camerasState").asText()), r.toString());
    List<String> liveUsers = new ArrayList<>();
    admin.get("liveUsers").forEach(u -> liveUsers.add(u.asText()));
    assertTrue(liveUsers.contains("viewer"), "viewer may watch demo live: " + r);
    if (admin.get("camerasState").asText().equals("ready")) { // the camera API answers
      assertTrue(
          admin.path("fieldErrors").has("streams[0].url"),
          "the bad URL's error sits next to it: " + r);
    }
  }

  @Test
  @Order(6)
  void theSingleViewShowsACameraOutageAndRecoversWithoutReload() throws Exception {
    Path ready = Files.createTempDirectory("web-outage").resolve("playing");
    String origin = page.substring(0, page.indexOf('?'));
    ProcessBuilder pb =
        new ProcessBuilder(
                "node", "src/test/js/web-grid.mjs", origin, "viewer", "viewer", "outage", "15")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("READY_FILE", ready.toString());
    Process node = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(ready) && node.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    boolean paused = Files.exists(ready);
    if (paused) {
      camera.pause(); // no packet for 6 s: delivery says offline after 2 s without a chunk
      try {
        Thread.sleep(6_000);
      } finally {
        camera.resume();
      }
    }
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser run finishes");
    outputs.add(out);
    System.out.println(
        "web single view through an outage: " + out.substring(0, Math.min(out.length(), 700)));
    assertTrue(paused, "the single view played before the outage: " + out);
    assertEquals(0, node.exitValue(), "browser driver output: " + out);
    JsonNode r = JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
    List<String> states = new ArrayList<>();
    r.get("outage").get("states").forEach(st -> states.add(st.get("state").asText()));
    assertEquals("playing", states.get(states.size() - 1), r.toString());
    assertTrue(states.contains("offline") || states.contains("reconnecting"), r.toString());
  }

  @Test
  @Order(7)
  void theAdminAddsACameraOnTheAdminPageWatchesItEditsAndRemovesIt() throws Exception {
    String origin = page.substring(0, page.indexOf('?'));
    ProcessBuilder pb =
        new ProcessBuilder(
                "node", "src/test/js/web-grid.mjs", origin, "admin", "admin", "add", "20")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("CAMERA_URL", camera.url());
    pb.environment().put("CAMERA_USER", "cam");
    pb.environment().put("CAMERA_PASSWORD", CAMERA_PASSWORD); // typed into the form, never printed
    Process node = pb.start();
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(150, TimeUnit.SECONDS), "the browser run finishes");
    outputs.add(out);
    JsonNode r = JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
    System.out.println("web admin adds a camera: " + r.get("add"));
    assertEquals(0, node.exitValue(), "browser driver output: " + out);
    JsonNode add = r.get("add");
    assertEquals("playing", add.get("watched").get("state").asText(), r.toString());
    assertEquals("webcam/main", add.get("watched").get("stream").asText(), r.toString());
    assertEquals("", add.get("passwordFieldOnEdit").get("value").asText(), "write-only: " + r);
    assertTrue(
        add.get("passwordSetAfterEdit").asBoolean(), "an empty field keeps the password: " + r);
    assertTrue(add.get("removed").asBoolean(), r.toString());
  }

  @Test
  @Order(9)
  void theCameraPasswordIsInNoLogAndNoBrowserOutput() throws Exception {
    Path log = Path.of(System.getProperty("camflow.test.log", "target/test-logs/e2e-it.log"));
    List<String> lines = Files.readAllLines(log);
    assertTrue(lines.size() > 10, "the log was captured");
    for (String line : lines) {
      assertFalse(line.contains(CAMERA_PASSWORD), "a log line holds the camera password: " + line);
      assertFalse(
          line.contains("camflow-services-local-secret"), "a log line holds the client secret");
    }
    for (String out : outputs) {
      assertFalse(out.contains(CAMERA_PASSWORD));
      assertFalse(out.contains("eyJ"), "no token in the browser driver's output");
    }
  }

  // ---- from another machine: a LAN name that is not localhost
  // ---------------------------------------

  /**
   * The LAN-like name Chromium resolves to this machine's loopback address, as a home DNS would to
   * the server.
   */
  static final String LAN_NAME = "camflow.lan";

  /**
   * Chromium's switches for a browser on another machine: {@link #LAN_NAME} resolves to loopback,
   * and it trusts delivery's self-signed certificate by its key (as a user does who checked the
   * fingerprint), so the HTTPS page is a secure context while the plain-HTTP one, not being
   * localhost, is not.
   */
  static String lanChromiumArgs() throws Exception {
    byte[] spki = delivery.tlsIdentity().certificate().getPublicKey().getEncoded();
    String pin =
        Base64.getEncoder()
            .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(spki));
    return JSON.writeValueAsString(
        List.of(
            "--host-resolver-rules=MAP " + LAN_NAME + " 127.0.0.1",
            "--ignore-certificate-errors-spki-list=" + pin));
  }

  static JsonNode browseFromTheLan(String url, String user, String password, String expect)
      throws Exception {
    return driver(
        Map.of("CHROMIUM_ARGS", lanChromiumArgs()),
        120,
        "web-login.mjs",
        url,
        user,
        password,
        expect,
        "30");
  }

  /** issue 14: a browser on another machine logs in through delivery's HTTPS port and plays. */
  @Test
  @Order(8)
  void aBrowserOnAnotherMachineLogsInOverHttpsAndPlays() throws Exception {
    String url = "https://" + LAN_NAME + ":" + delivery.httpsPort() + "/?stream=demo/main";
    JsonNode r = browseFromTheLan(url, "viewer", "viewer", "play");
    System.out.println("web viewer from the LAN over HTTPS: " + r);
    assertEquals("playing", r.get("state").asText(), r.toString());
    assertEquals("viewer", r.get("user").asText(), r.toString());
    List<String> requests = new ArrayList<>();
    r.get("requests").forEach(q -> requests.add(q.asText()));
    String origin = "https://" + LAN_NAME + ":" + delivery.httpsPort();
    assertTrue(
        requests.stream()
            .anyMatch(
                q ->
                    q.startsWith("200 " + origin + "/realms/camflow/protocol/openid-connect/auth")),
        "the login page came through the page's own origin: " + requests);
    assertTrue(
        requests.stream()
            .anyMatch(
                q ->
                    q.startsWith(
                        "200 " + origin + "/realms/camflow/protocol/openid-connect/token")),
        "and the token: " + requests);
    assertTrue(
        requests.stream().noneMatch(q -> q.contains("localhost") || q.contains(":" + KC.port())),
        "nothing asked of Keycloak's own address: " + requests);
  }

  /**
   * issue 14: over plain HTTP the same page, not a secure context, says why it cannot log in and
   * where to go.
   */
  @Test
  @Order(8)
  void overPlainHttpFromAnotherMachineThePageSaysWhyAndOffersHttps() throws Exception {
    String url =
        "http://"
            + LAN_NAME
            + ":"
            + page.substring("http://localhost:".length(), page.indexOf('/', 8))
            + "/?stream=demo/main";
    JsonNode r = browseFromTheLan(url, "viewer", "viewer", "needs-https");
    System.out.println("web viewer from the LAN over plain HTTP: " + r);
    assertFalse(r.get("secureContext").asBoolean(), r.toString());
    assertTrue(r.get("status").asText().contains("secure connection"), r.toString());
    assertEquals(
        "https://" + LAN_NAME + ":" + delivery.httpsPort() + "/?stream=demo/main",
        r.get("link").asText(),
        r.toString());
  }

  /**
   * issue 14: a session lives on its token, and the viewer keeps it alive with each refresh,
   * without a visible interruption. camflow-web's tokens are made to live {@value #SHORT_TOKEN_S} s
   * (restored after) and the page renews them 30 s before they expire; this delivery ends a session
   * {@value #SESSION_GRACE_S} s past its token's expiry without a fresh one, so watching {@value
   * #HOLD_S} s spans several renewals and the point where a session without them would have ended.
   */
  @Test
  @Order(9)
  void theViewerPlaysOnAcrossTokenRefreshesWithoutAnInterruption() throws Exception {
    try (org.keycloak.admin.client.Keycloak master =
        org.keycloak.admin.client.Keycloak.getInstance(
            KC.baseUrl().toString(),
            "master",
            LocalKeycloak.BOOTSTRAP_ADMIN,
            LocalKeycloak.BOOTSTRAP_ADMIN,
            "admin-cli")) {
      var clients = master.realm("camflow").clients();
      var web = clients.get(clients.findByClientId("camflow-web").get(0).getId());
      var rep = web.toRepresentation();
      String before = rep.getAttributes().get("access.token.lifespan");
      rep.getAttributes().put("access.token.lifespan", Integer.toString(SHORT_TOKEN_S));
      web.update(rep);
      try {
        JsonNode r =
            driver(
                Map.of("HOLD_SECONDS", Integer.toString(HOLD_S)),
                200,
                "web-login.mjs",
                page,
                "viewer",
                "viewer",
                "play",
                "30");
        JsonNode hold = r.get("hold");
        System.out.println(
            "web viewer across token refreshes (" + r.get("protocol") + "): " + hold);
        assertEquals("[\"playing\"]", hold.get("states").toString(), "playing all along: " + r);
        assertTrue(
            hold.get("stalledMaxMs").asLong() < 3000,
            "the picture never stood still for long: " + hold);
        assertTrue(hold.get("refreshes").asInt() >= 2, "the page refreshed its token: " + hold);
        if ("mse".equals(r.get("protocol").asText())) {
          assertEquals(
              0, hold.get("socketsOpened").asInt(), "the same WebSocket all along: " + hold);
        } else {
          assertEquals(
              0, hold.get("whepOffers").asInt(), "the same WebRTC session all along: " + hold);
          assertTrue(
              hold.get("whepRenewals").size() >= 2,
              "each fresh token went to the session: " + hold);
          hold.get("whepRenewals")
              .forEach(status -> assertEquals(204, status.asInt(), hold.toString()));
        }
      } finally {
        rep = web.toRepresentation();
        rep.getAttributes()
            .put("access.token.lifespan", before == null ? "" : before); // "": the realm's again
        web.update(rep);
      }
    }
  }

  static final int SHORT_TOKEN_S = 40;

  /** delivery.sessions.tokenGrace of this class's delivery (30 s by default). */
  static final int SESSION_GRACE_S = 10;

  static final int HOLD_S = SHORT_TOKEN_S + SESSION_GRACE_S + 10;
}
