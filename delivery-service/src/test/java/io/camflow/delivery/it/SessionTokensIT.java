package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.mse.MseMessages;
import io.camflow.delivery.sessions.Ending;
import io.camflow.delivery.sessions.TokenLeaseSettings;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.Tokens;
import io.camflow.keycloak.admin.Action;
import io.camflow.keycloak.admin.AdminSettings;
import io.camflow.keycloak.admin.CameraAccess;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.EncodedStream;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * MSE and WebRTC sessions live on their tokens, against the real local Keycloak and Kafka
 * (docs/permissions.md, "Long-lived sessions"): the web client's access tokens are made to live
 * {@value #LIFESPAN_S} s (client attribute {@code access.token.lifespan}, restored after),
 * delivery's grace is {@value #GRACE_S} s. A session ends at its token's {@code exp} plus the grace
 * without a fresh token and goes on with one (a Keycloak refresh of the same user); a fresh token
 * of another user or an invalid one ends it at once; a live grant revoked through camflow's API
 * ends its user's sessions at once, one revoked behind camflow's back (as in Keycloak's console) at
 * the next periodic re-check. WebRTC sessions are WHEP resources with their transport set up and no
 * peer: what ends them is the server's doing, not the network's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionTokensIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final String SERVICES_SECRET = "camflow-services-local-secret";
  static final int LIFESPAN_S = 40;
  static final int GRACE_S = 3;
  static final int RECHECK_S = 4;
  static final String LIFESPAN = "access.token.lifespan";
  static final StreamKey DEMO = new StreamKey("demo", "expiry");
  static final StreamKey GARAGE = new StreamKey("garage", "expiry");
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static final List<CmafFeed> feeds = new ArrayList<>();
  static final List<MseIT.MseClient> clients = new ArrayList<>();
  static Keycloak master;
  static String lifespanBefore;
  static CamelContext ctx;
  static DeliveryService service;
  static int port;
  static String offer;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(
        DEMO.cmafTopic(),
        GARAGE.cmafTopic(),
        DEMO.mediaTopic(),
        GARAGE.mediaTopic(),
        "camflow.demand");
    List<AccessUnit> clip = EncodedStream.h264(8, 25, 320, 240);
    for (StreamKey key : List.of(DEMO, GARAGE)) {
      CmafFeed feed = new CmafFeed(KAFKA.bootstrapServers(), key.cmafTopic(), clip);
      feed.start();
      feeds.add(feed);
      media(key, clip); // what WHEP reads: the codecs and the GOP
    }
    offer =
        Files.readString(
            Path.of("..", "media", "src", "test", "resources", "sdp", "chromium-video-audio.sdp"));
    shortTokens();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    service =
        new DeliveryService(
                DeliverySettings.defaults(KAFKA.bootstrapServers()),
                port,
                CorsPolicy.none(),
                AuthSettings.keycloak(KC.issuer()),
                new AdminSettings(KC.baseUrl(), "camflow", "camflow-services", SERVICES_SECRET),
                ROUTES)
            .webrtc(
                WhepSettings.defaults(),
                WebRtcTransportSettings.defaults()
                    .withPort(0)
                    .withConsentTimeout(
                        Duration.ofMinutes(
                            5))) // no peer checks in: only the token may end a session here
            .sessionTokens(
                new TokenLeaseSettings(Duration.ofSeconds(GRACE_S), Duration.ofSeconds(RECHECK_S)));
    ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (feeds.stream().anyMatch(f -> f.segmentsWritten < 1) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /**
   * camflow-web's access tokens live LIFESPAN_S from now on (as Keycloak's admin console sets it).
   */
  static void shortTokens() {
    // the master realm's bootstrap admin, as RealmKeys logs in
    master =
        Keycloak.getInstance(
            KC.baseUrl().toString(),
            "master",
            LocalKeycloak.BOOTSTRAP_ADMIN,
            LocalKeycloak.BOOTSTRAP_ADMIN,
            "admin-cli");
    ClientResource web = webClient();
    ClientRepresentation rep = web.toRepresentation();
    lifespanBefore = rep.getAttributes().get(LIFESPAN);
    rep.getAttributes().put(LIFESPAN, Integer.toString(LIFESPAN_S));
    web.update(rep);
  }

  static ClientResource webClient() {
    var clients = master.realm(LocalKeycloak.REALM).clients();
    return clients.get(clients.findByClientId(Tokens.WEB_CLIENT).getFirst().getId());
  }

  static void media(StreamKey key, List<AccessUnit> units) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    p.put("acks", "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (AccessUnit au : units) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(key.mediaTopic(), 0, null, au.data());
        MediaRecordFormat.headers(au, "s1").forEach((k, v) -> r.headers().add(k, v));
        producer.send(r);
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    clients.forEach(MseIT.MseClient::close);
    try {
      if (master != null) {
        ClientResource web = webClient();
        ClientRepresentation rep = web.toRepresentation();
        rep.getAttributes()
            .put(LIFESPAN, lifespanBefore == null ? "" : lifespanBefore); // "": the realm's again
        web.update(rep);
        master.close();
        var claims = SignedJWT.parse(token("viewer")).getJWTClaimsSet();
        long lifetime =
            Duration.between(
                    claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant())
                .toSeconds();
        assertTrue(
            lifetime > LIFESPAN_S,
            "the realm's lifespan applies again (the next test classes): " + lifetime + " s");
      }
    } finally {
      if (ctx != null) {
        ctx.stop();
      }
      if (service != null) {
        service.close();
      }
      for (CmafFeed f : feeds) {
        f.close();
      }
    }
  }

  // ---- helpers ----

  static String token(String user) {
    return Tokens.accessToken(KC, user, user);
  }

  static Instant exp(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
  }

  static MseIT.MseClient mse(StreamKey key, String token) throws Exception {
    MseIT.MseClient c =
        MseIT.MseClient.open(
                HTTP,
                URI.create(
                    "ws://127.0.0.1:" + port + "/live/" + key + "/mse" + "?access_token=" + token),
                null,
                0)
            .get(20, TimeUnit.SECONDS);
    clients.add(c);
    waitFor(() -> c.fragments > 0, Duration.ofSeconds(20), "media on the MSE socket of " + key);
    return c;
  }

  static void sendToken(MseIT.MseClient c, String token) {
    c.socket().sendText("{\"type\":\"token\",\"token\":\"" + token + "\"}", true).join();
  }

  static HttpResponse<String> http(String method, String path, String bearer, String sdp)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                sdp == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(sdp));
    if (sdp != null) {
      b.header("Content-Type", "application/sdp");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A WHEP session of {@code key}: its Location. */
  static String whep(StreamKey key, String token) throws Exception {
    HttpResponse<String> r = http("POST", "/live/" + key + "/whep", token, offer);
    assertEquals(201, r.statusCode(), r.body());
    return r.headers().firstValue("Location").orElseThrow();
  }

  static boolean alive(String location) {
    return service.whep().alive(location.substring(location.lastIndexOf('/') + 1));
  }

  static void waitFor(BooleanSupplier condition, Duration max, String what) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(what);
      }
      Thread.sleep(50);
    }
  }

  static void sleepUntil(Instant t) throws InterruptedException {
    long ms = Duration.between(Instant.now(), t).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  static void endedWith(MseIT.MseClient c, Ending why) throws Exception {
    assertEquals(1008, c.closed().get(10, TimeUnit.SECONDS).code(), "close code");
    assertTrue(c.texts.contains(MseMessages.ended(why)), "told why: " + c.texts);
  }

  // ---- the tests ----

  @Test
  @Order(1)
  void aSessionEndsAtItsTokensExpiryPlusTheGraceUnlessAFreshTokenOfItsUserComes() throws Exception {
    String first = token("viewer");
    Instant exp = exp(first);
    assertTrue(
        Duration.between(Instant.now(), exp).toSeconds() <= LIFESPAN_S,
        "the client's short lifespan applies");
    MseIT.MseClient unrenewed = mse(DEMO, first);
    MseIT.MseClient renewed = mse(DEMO, first);
    String whepUnrenewed = whep(DEMO, first);
    String whepRenewed = whep(DEMO, first);
    String whepOtherUser = whep(DEMO, first);
    String whepInvalid = whep(DEMO, first);

    // a refresh as the web viewer makes it, well before exp: the fresh token lives 15 s longer
    sleepUntil(SignedJWT.parse(first).getJWTClaimsSet().getIssueTime().toInstant().plusSeconds(15));
    String fresh = token("viewer");
    Instant freshExp = exp(fresh);
    assertTrue(freshExp.isAfter(exp.plusSeconds(GRACE_S + 5)), freshExp + " vs " + exp);
    sendToken(renewed, fresh);
    String renewal = MseMessages.renewed(freshExp.plusSeconds(GRACE_S).getEpochSecond());
    waitFor(
        () -> renewed.texts.contains(renewal), Duration.ofSeconds(10), "renewed: " + renewed.texts);
    assertEquals(204, http("POST", whepRenewed, fresh, null).statusCode());

    // another user's valid token, and an invalid one, end a session at once
    HttpResponse<String> other = http("POST", whepOtherUser, token("admin"), null);
    assertEquals(403, other.statusCode(), other.body());
    assertFalse(alive(whepOtherUser), "another user's token ended the session");
    HttpResponse<String> invalid = http("POST", whepInvalid, "not-a-jwt", null);
    assertEquals(401, invalid.statusCode(), invalid.body());
    assertFalse(alive(whepInvalid), "an invalid token ended the session");
    assertTrue(alive(whepUnrenewed) && alive(whepRenewed));
    assertFalse(unrenewed.closed().isDone(), "before exp");

    // exp + grace: the unrenewed sessions end (the sweep runs every second), not before
    Instant deadline = exp.plusSeconds(GRACE_S);
    unrenewed
        .closed()
        .get(Duration.between(Instant.now(), deadline).toMillis() + 10_000, TimeUnit.MILLISECONDS);
    Instant closedAt = Instant.now();
    assertFalse(
        closedAt.isBefore(deadline.minusMillis(100)),
        "closed at " + closedAt + ", deadline " + deadline);
    endedWith(unrenewed, Ending.TOKEN_EXPIRED);
    waitFor(
        () -> !alive(whepUnrenewed),
        Duration.ofSeconds(3),
        "the unrenewed WebRTC session ends too");

    // the renewed ones go on past the first token's deadline, with media
    sleepUntil(deadline.plusSeconds(2));
    long before = renewed.fragments;
    waitFor(() -> renewed.fragments > before, Duration.ofSeconds(5), "media still flowing");
    assertFalse(renewed.closed().isDone(), "the renewed MSE session goes on: " + renewed.texts);
    assertTrue(alive(whepRenewed), "the renewed WebRTC session goes on");
    renewed.close();
    assertEquals(200, http("DELETE", whepRenewed, fresh, null).statusCode());
  }

  @Test
  @Order(2)
  void aLiveGrantRevokedThroughTheApiEndsItsUsersSessionsAtOnce() throws Exception {
    String admin = token("admin");
    String grantPath = "/api/v1/cameras/garage/access/live/users/viewer";
    assertEquals(200, http("PUT", grantPath, admin, null).statusCode());
    try {
      String viewer = token("viewer");
      MseIT.MseClient watching = mse(GARAGE, viewer);
      String rtc = whep(GARAGE, viewer);
      MseIT.MseClient adminWatching = mse(GARAGE, admin);
      assertEquals(200, http("DELETE", grantPath, admin, null).statusCode());
      // the revocation's answer comes after the re-check: the viewer's sessions are ending already
      endedWith(watching, Ending.ACCESS_REVOKED);
      waitFor(() -> !alive(rtc), Duration.ofSeconds(3), "the WebRTC session ends too");
      assertTrue(Instant.now().isBefore(exp(viewer)), "well before the token's expiry");
      assertFalse(adminWatching.closed().isDone(), "the admin's session is not touched");
      // the fresh token a refresh brings now lacks the camera: a session opened before would end on
      // it
      assertEquals(
          403, http("POST", "/live/" + GARAGE + "/whep", token("viewer"), offer).statusCode());
      adminWatching.close();
    } finally {
      http("DELETE", grantPath, admin, null);
    }
  }

  @Test
  @Order(3)
  void aGrantRevokedBehindCamflowsBackEndsTheSessionsAtTheNextRecheck() throws Exception {
    try (CameraAccess keycloak =
        new CameraAccess(
            new AdminSettings(KC.baseUrl(), "camflow", "camflow-services", SERVICES_SECRET))) {
      keycloak.grantUser("garage", Action.LIVE, "viewer");
      try {
        String viewer = token("viewer");
        MseIT.MseClient watching = mse(GARAGE, viewer);
        String rtc = whep(GARAGE, viewer);
        keycloak.revokeUser(
            "garage", Action.LIVE, "viewer"); // as in Keycloak's console: delivery is not told
        long revokedAt = System.nanoTime();
        assertEquals(1008, watching.closed().get(RECHECK_S + 10, TimeUnit.SECONDS).code());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);
        assertTrue(
            watching.texts.contains(MseMessages.ended(Ending.ACCESS_REVOKED)),
            watching.texts.toString());
        assertTrue(
            tookMs < (RECHECK_S + 5) * 1000L, "within the re-check interval: " + tookMs + " ms");
        waitFor(() -> !alive(rtc), Duration.ofSeconds(3), "the WebRTC session ends too");
      } finally {
        keycloak.revokeUser("garage", Action.LIVE, "viewer");
      }
    }
  }
}
