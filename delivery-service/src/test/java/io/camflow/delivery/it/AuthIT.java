package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.auth.StreamTokens;
import io.camflow.delivery.auth.TrustedProxies;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.mse.MseSettings;
import io.camflow.delivery.rtsp.RtspSettings;
import io.camflow.delivery.rtsp.RtspTestClient;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.RealmKeys;
import io.camflow.keycloak.Tokens;
import io.camflow.keycloak.admin.AdminSettings;
import io.camflow.keycloak.admin.CameraAccess;
import io.camflow.media.StreamKey;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.MseSocket;
import io.camflow.testsupport.RecordingViewer;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every door of delivery against the real local Keycloak and Kafka: the auth matrix over the HLS
 * playlist, init, part, segment and the API; key rotation in the running realm; grant and revoke
 * through camflow's API; the failure limit; auth off; and, last, a scan of every response and log
 * line for the tokens and secrets used.
 *
 * <p>Tokens that Keycloak will not issue (expired, not yet valid, wrong issuer or audience) are
 * made with a key imported into the realm ({@link RealmKeys#importRsaKey}): delivery finds it in
 * the realm's real JWKS, so the only thing wrong with each is the one thing the case names — a
 * control token made the same way with nothing wrong is accepted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final String SERVICES_SECRET = "camflow-services-local-secret";
  static final byte[] STREAM_KEY =
      "auth-it-stream-token-key-0123456789".getBytes(StandardCharsets.US_ASCII);
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern INIT = Pattern.compile("URI=\"(init-\\d+\\.mp4)\\?st=([^\"]+)\"");
  static final Pattern PART =
      Pattern.compile("#EXT-X-PART:[^\\n]*URI=\"(part-\\d+\\.\\d+\\.m4s)\\?st=");
  static final Pattern SEGMENT = Pattern.compile("\\n(seg-\\d+\\.m4s)\\?st=");

  static final List<CmafFeed> feeds = new ArrayList<>();
  static final List<String> responses = Collections.synchronizedList(new ArrayList<>());
  static final List<String> secrets = Collections.synchronizedList(new ArrayList<>());
  static final List<Runnable> cleanup = new ArrayList<>();
  static RealmKeys realmKeys;
  static KeyPair forgeKey;
  static String forgeKid;
  static int port;
  static String admin;
  static String viewer;
  static String outsider;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(
        "camflow.cmaf.demo.main",
        "camflow.cmaf.demo.sub",
        "camflow.cmaf.garage.main",
        "camflow.demand",
        "camflow.media.demo.main",
        "camflow.media.demo.sub");
    for (String topic :
        List.of("camflow.cmaf.demo.main", "camflow.cmaf.demo.sub", "camflow.cmaf.garage.main")) {
      CmafFeed feed =
          new CmafFeed(KAFKA.bootstrapServers(), topic, EncodedStream.h264(10, 25, 320, 240));
      feed.start();
      feeds.add(feed);
    }
    realmKeys = new RealmKeys(KC);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    forgeKey = g.generateKeyPair();
    forgeKid = realmKeys.importRsaKey(forgeKey, 10); // below the active key: Keycloak keeps its own
    cleanup.add(() -> realmKeys.removeProvider(forgeKid));
    port =
        startDelivery(
            settings(100_000),
            new AdminSettings(KC.baseUrl(), "camflow", "camflow-services", SERVICES_SECRET));
    admin = token("admin", "admin");
    viewer = token("viewer", "viewer");
    outsider = token("outsider", "outsider");
    secrets.add(SERVICES_SECRET);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (feeds.stream().anyMatch(f -> f.segmentsWritten < 2) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  static AuthSettings settings(int failureLimit) {
    // keys refetched at most once a second, so the rotation test need not wait 10 s
    return AuthSettings.keycloak(KC.issuer())
        .withJwksMinInterval(Duration.ofSeconds(1))
        .withStreamTokenKey(STREAM_KEY)
        .withFailureLimit(failureLimit);
  }

  /** A free port; a DESCRIBE waits 1 s for a picture (demo/main's media topic stays empty). */
  static final RtspSettings RTSP =
      RtspSettings.on(0)
          .withStartWait(Duration.ofSeconds(1))
          .withCredentialRecheck(Duration.ofSeconds(2));

  static final List<CamelContext> contexts = new ArrayList<>();
  static final List<DeliveryService> services = new ArrayList<>();

  static int startDelivery(AuthSettings auth, AdminSettings adminSettings) throws Exception {
    return startDelivery(DeliverySettings.defaults(KAFKA.bootstrapServers()), auth, adminSettings);
  }

  static int startDelivery(
      DeliverySettings settings, AuthSettings auth, AdminSettings adminSettings) throws Exception {
    int p;
    try (ServerSocket s = new ServerSocket(0)) {
      p = s.getLocalPort();
    }
    DeliveryService service =
        new DeliveryService(settings, p, CorsPolicy.none(), auth, adminSettings, ROUTES)
            .webrtc(WhepSettings.defaults(), WebRtcTransportSettings.defaults().withPort(0))
            .rtsp(RTSP);
    CamelContext ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    contexts.add(ctx);
    services.add(service);
    return p;
  }

  @AfterAll
  static void stop() {
    cleanup.forEach(Runnable::run);
    contexts.forEach(CamelContext::stop);
    services.forEach(DeliveryService::close);
    for (CmafFeed f : feeds) {
      try {
        f.close();
      } catch (Exception e) {
        // stopping anyway
      }
    }
    if (realmKeys != null) {
      realmKeys.close();
    }
  }

  static String token(String user, String password) {
    String t = Tokens.accessToken(KC, user, password);
    secrets.add(t);
    return t;
  }

  // ---- requests ----

  static HttpResponse<byte[]> get(int port, String path, String bearer) throws Exception {
    return send(port, "GET", path, bearer);
  }

  static HttpResponse<byte[]> send(int port, String method, String path, String bearer)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    responses.add(r.headers().map() + "\n" + new String(r.body(), StandardCharsets.ISO_8859_1));
    return r;
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The media names and stream token of a stream's current playlist, fetched as the viewer. */
  record Media(String init, String part, String segment, String streamToken) {}

  static Media media(String camera, String stream) throws Exception {
    HttpResponse<byte[]> r = get(port, "/live/" + camera + "/" + stream + "/index.m3u8", admin);
    assertEquals(200, r.statusCode(), text(r));
    String playlist = text(r);
    Matcher init = INIT.matcher(playlist);
    Matcher part = PART.matcher(playlist);
    Matcher seg = SEGMENT.matcher(playlist);
    assertTrue(
        init.find() && part.find() && seg.find(),
        "every media URI carries a stream token:\n" + playlist);
    assertFalse(playlist.contains(admin), "the user's token is not in the playlist");
    return new Media(init.group(1), part.group(1), seg.group(1), init.group(2));
  }

  // ---- forged tokens: realm-signed (imported key), one thing wrong each ----

  static JWTClaimsSet viewerClaims() throws Exception {
    return SignedJWT.parse(viewer).getJWTClaimsSet();
  }

  static String forge(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    return sign(
        forgeKid,
        (RSAPrivateKey) forgeKey.getPrivate(),
        change.apply(new JWTClaimsSet.Builder(viewerClaims())).build());
  }

  static String sign(String kid, RSAPrivateKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    String t = jwt.serialize();
    secrets.add(t);
    return t;
  }

  /** The credentials of the matrix that must be refused everywhere, with the status they get. */
  static Map<String, String> badTokens() throws Exception {
    Instant now = Instant.now();
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("malformed", "not-a-jwt");
    bad.put(
        "expired",
        forge(
            b ->
                b.issueTime(Date.from(now.minusSeconds(600)))
                    .expirationTime(Date.from(now.minusSeconds(120)))));
    bad.put("not yet valid", forge(b -> b.notBeforeTime(Date.from(now.plusSeconds(300)))));
    bad.put(
        "wrong issuer", forge(b -> b.issuer("http://localhost:" + KC.port() + "/realms/master")));
    bad.put("wrong audience", forge(b -> b.audience("account")));
    bad.put("another client", forge(b -> b.claim("azp", "camflow-services")));
    String[] p = viewer.split("\\.");
    String payload =
        new String(Base64URL.from(p[1]).decode(), StandardCharsets.UTF_8)
            .replace("camera:demo:live", "camflow:admin");
    assertNotEquals(p[1], Base64URL.encode(payload).toString());
    bad.put("tampered payload", p[0] + "." + Base64URL.encode(payload) + "." + p[2]);
    byte[] sig = Base64URL.from(p[2]).decode();
    sig[sig.length / 2] ^= 0x40;
    bad.put("tampered signature", p[0] + "." + p[1] + "." + Base64URL.encode(sig));
    bad.put("alg none", Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + p[1] + ".");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    String activeKid = SignedJWT.parse(viewer).getHeader().getKeyID();
    bad.put(
        "another key, realm's kid",
        sign(activeKid, (RSAPrivateKey) g.generateKeyPair().getPrivate(), viewerClaims()));
    bad.values().forEach(secrets::add);
    return bad;
  }

  static void refused(HttpResponse<byte[]> r, int status, String what) {
    assertEquals(status, r.statusCode(), what + ": " + text(r));
    String type = r.headers().firstValue("Content-Type").orElse("");
    assertFalse(
        type.startsWith("video/") || type.startsWith("image/") || type.contains("mpegurl"),
        what + ": " + type);
    String body = text(r);
    assertTrue(
        r.body().length < 200
            && !body.contains("#EXTM3U")
            && !body.contains("ftyp")
            && !body.contains("moof"),
        what + ": no media bytes");
    if (status == 401) {
      assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
    }
  }

  // ---- the matrix ----

  @Test
  @Order(1)
  void theMatrixOverEveryEndpoint() throws Exception {
    Media m = media("demo", "main");
    String live = "/live/demo/main/";
    List<String> mediaPaths = List.of(live + m.init(), live + m.part(), live + m.segment());
    List<String> endpoints = new ArrayList<>(List.of(live + "index.m3u8"));
    endpoints.addAll(mediaPaths);
    String api = "/api/v1/cameras/demo/access";
    endpoints.add(api);
    String recordings = "/api/v1/recordings/demo/main";
    endpoints.add(recordings);

    // the control: a forged token with nothing wrong is accepted, so each refusal below is for its
    // one defect
    String control = forge(b -> b);
    assertEquals(
        200,
        get(port, live + "index.m3u8", control).statusCode(),
        "the forged control token passes");

    for (String path : endpoints) {
      refused(get(port, path, null), 401, path + " without a token");
      for (Map.Entry<String, String> bad : badTokens().entrySet()) {
        refused(get(port, path, bad.getValue()), 401, path + " with " + bad.getKey());
      }
      refused(get(port, path, outsider), 403, path + " as a user without the camera");
    }
    refused(get(port, api, viewer), 403, "viewer on an admin call");
    refused(get(port, recordings, viewer), 403, "viewer (live only) on the recordings");
    refused(
        get(port, "/api/v1/recordings/nosuch/main", viewer),
        403,
        "viewer on the recordings of a camera that does not exist: the same answer");
    refused(
        send(port, "PUT", "/api/v1/cameras/demo/access/live/users/outsider", viewer),
        403,
        "viewer granting");

    // stream tokens: one for another stream, an expired one, one of another key
    Media other = media("demo", "sub");
    StreamTokens tokens = new StreamTokens(STREAM_KEY, Duration.ofSeconds(60), Clock.systemUTC());
    String expired = tokens.mint(new StreamKey("demo", "main"), Instant.now().getEpochSecond() - 5);
    String foreign =
        new StreamTokens(
                "another-key-another-key-another-key".getBytes(),
                Duration.ofSeconds(60),
                Clock.systemUTC())
            .query(new StreamKey("demo", "main"))
            .substring(3);
    for (String path : mediaPaths) {
      refused(
          get(port, path + "?st=" + other.streamToken(), null),
          401,
          path + " with another stream's token");
      refused(
          get(port, path + "?st=" + expired, null), 401, path + " with an expired stream token");
      refused(
          get(port, path + "?st=" + foreign, null),
          401,
          path + " with a stream token of another key");
    }

    // and what is right gets 200
    for (String path : mediaPaths) {
      HttpResponse<byte[]> byToken = get(port, path + "?st=" + m.streamToken(), null);
      assertEquals(200, byToken.statusCode(), path + " with its stream token");
      assertEquals("video/mp4", byToken.headers().firstValue("Content-Type").orElse(""));
      assertEquals(200, get(port, path, viewer).statusCode(), path + " with the viewer's token");
    }
    assertEquals(200, get(port, live + "index.m3u8", viewer).statusCode());
    assertEquals(
        200,
        get(port, live + "index.m3u8?access_token=" + viewer, null).statusCode(),
        "access_token parameter");
    assertEquals(200, get(port, api, admin).statusCode());
    HttpResponse<byte[]> recorded = get(port, recordings, admin);
    assertEquals(200, recorded.statusCode(), "admin (dvr of every camera): " + text(recorded));
    assertTrue(
        JSON.readTree(recorded.body()).get("spans").size() >= 1,
        "the feed's segments: " + text(recorded));
    assertEquals(
        404,
        get(port, "/api/v1/recordings/nosuch/main", admin).statusCode(),
        "with dvr permission, a stream without a recording is named as such");

    // one instant across streams: any valid token, each stream as the caller may see it
    String instant =
        "/api/v1/recordings?at="
            + Instant.parse(JSON.readTree(recorded.body()).get("oldest").asText()).plusMillis(500)
            + "&streams=demo/main";
    refused(get(port, instant, null), 401, "the instant call without a token");
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      refused(get(port, instant, bad.getValue()), 401, "the instant call with " + bad.getKey());
    }
    JsonNode asViewer = JSON.readTree(get(port, instant, viewer).body()).get("streams").get(0);
    assertFalse(
        asViewer.get("recorded").asBoolean(),
        "live view only: the stream is answered as not recorded: " + asViewer);
    assertTrue(
        asViewer.get("next") == null && asViewer.get("segment") == null,
        "and nothing of its recording shows: " + asViewer);
    JsonNode asAdmin = JSON.readTree(get(port, instant, admin).body()).get("streams").get(0);
    assertTrue(asAdmin.get("recorded").asBoolean(), "with dvr: where it is: " + asAdmin);
    JsonNode me = JSON.readTree(get(port, "/api/v1/me", viewer).body());
    assertEquals("viewer", me.get("user").asText());
    assertEquals("live", me.get("cameras").get("demo").get(0).asText());
  }

  /**
   * The recording's doors need {@code dvr} of the camera: a user with live view only is refused,
   * the playlist's media URIs carry a DVR stream token that opens the recording and nothing live,
   * and a live stream token does not open the recording.
   */
  @Test
  @Order(1)
  void theMatrixOverDvr() throws Exception {
    String start =
        Instant.now().minusSeconds(6).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    String playlist = "/dvr/demo/main/index.m3u8?start=" + start;
    refused(get(port, playlist, null), 401, "DVR playlist without a token");
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      refused(get(port, playlist, bad.getValue()), 401, "DVR playlist with " + bad.getKey());
    }
    refused(get(port, playlist, outsider), 403, "DVR playlist as a user without the camera");
    refused(get(port, playlist, viewer), 403, "DVR playlist as a user with live view only");
    refused(
        get(port, "/dvr/nosuch/main/index.m3u8?start=" + start, viewer),
        403,
        "DVR of a camera that does not exist: the same answer");
    HttpResponse<byte[]> ok = get(port, playlist, admin);
    assertEquals(200, ok.statusCode(), "admin has dvr of every camera: " + text(ok));
    String body = text(ok);
    assertFalse(body.contains(admin), "the user's token is not in the playlist");
    Matcher seg =
        Pattern.compile("^(seg-\\d+\\.m4s\\?at=\\d+)&st=([^\\s]+)$", Pattern.MULTILINE)
            .matcher(body);
    assertTrue(seg.find(), "segment URIs carry a stream token: " + body);
    String segment = "/dvr/demo/main/" + seg.group(1);
    String dvrToken = seg.group(2);
    assertEquals(
        200,
        get(port, segment + "&st=" + dvrToken, null).statusCode(),
        "the DVR stream token opens the recorded segment");
    refused(get(port, segment, null), 401, "a recorded segment without a token");
    refused(get(port, segment, viewer), 403, "a recorded segment as a user with live view only");
    Media live = media("demo", "main");
    refused(
        get(port, segment + "&st=" + live.streamToken(), null),
        401,
        "a live stream token does not open the recording");
    refused(
        get(port, "/live/demo/main/" + live.segment().split("\\?")[0] + "?st=" + dvrToken, null),
        401,
        "a DVR stream token does not open live media");

    // a recording's stream token opens the stretch its playlist covers, not a later segment
    Instant vodEnd = Instant.parse(start).plusSeconds(2);
    HttpResponse<byte[]> vod =
        get(port, "/dvr/demo/main/index.m3u8?start=" + start + "&end=" + vodEnd, admin);
    assertEquals(200, vod.statusCode(), text(vod));
    Matcher vodSeg =
        Pattern.compile("^seg-\\d+\\.m4s\\?at=\\d+&st=([^\\s]+)$", Pattern.MULTILINE)
            .matcher(text(vod));
    assertTrue(vodSeg.find(), text(vod));
    String vodToken = vodSeg.group(1);
    Matcher later =
        Pattern.compile("^(seg-\\d+\\.m4s\\?at=(\\d+))&st=", Pattern.MULTILINE).matcher(body);
    String after = null;
    while (later.find()) {
      if (Long.parseLong(later.group(2)) > vodEnd.toEpochMilli()) {
        after = later.group(1);
      }
    }
    assertTrue(after != null, "the event playlist has a segment after the VOD's end: " + body);
    assertEquals(
        200,
        get(port, "/dvr/demo/main/" + after + "&st=" + dvrToken, null).statusCode(),
        "the event playlist's token opens its later segment");
    refused(
        get(port, "/dvr/demo/main/" + after + "&st=" + vodToken, null),
        401,
        "a VOD playlist's token does not open a segment after its range");

    String clip = "/dvr/demo/main/clip.mp4?start=" + start + "&end=" + Instant.now();
    refused(get(port, clip, null), 401, "a clip without a token");
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      refused(get(port, clip, bad.getValue()), 401, "a clip with " + bad.getKey());
    }
    refused(get(port, clip, outsider), 403, "a clip as a user without the camera");
    refused(get(port, clip, viewer), 403, "a clip as a user with live view only");
    refused(
        get(port, clip + "&st=" + live.streamToken(), null),
        401,
        "a live stream token does not open a clip");
    HttpResponse<byte[]> exported = get(port, clip, admin);
    assertEquals(200, exported.statusCode(), "admin exports a clip: " + text(exported));
    assertEquals("video/mp4", exported.headers().firstValue("Content-Type").orElse(""));
    assertEquals(
        200,
        get(port, clip + "&st=" + dvrToken, null).statusCode(),
        "the DVR stream token of the stream opens its clip");

    String thumbnail = "/dvr/demo/main/thumbnail.jpg?at=" + start;
    refused(get(port, thumbnail, null), 401, "a timeline thumbnail without a token");
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      refused(get(port, thumbnail, bad.getValue()), 401, "a thumbnail with " + bad.getKey());
    }
    refused(get(port, thumbnail, outsider), 403, "a thumbnail as a user without the camera");
    refused(get(port, thumbnail, viewer), 403, "a thumbnail as a user with live view only");
    refused(
        get(port, thumbnail + "&st=" + dvrToken, null),
        401,
        "a playlist's stream token does not open thumbnails: the user's token does");
    HttpResponse<byte[]> asAdmin = get(port, thumbnail, admin);
    assertTrue(
        asAdmin.statusCode() == 404 && text(asAdmin).contains("no thumbnail of demo/main"),
        "admin passes (this broker has no packager, so no thumbnails): "
            + asAdmin.statusCode()
            + " "
            + text(asAdmin));

    // MSE: the live door's socket plays the recording only with dvr of the camera
    String play =
        "{\"type\":\"play\",\"codecs\":[\"avc1.42E01E\",\"mp4a.40.2\"],\"at\":\"" + start + "\"}";
    URI mse = URI.create("ws://127.0.0.1:" + port + "/live/demo/main/mse");
    RecordingViewer liveOnly = RecordingViewer.open(HTTP, mse, viewer);
    liveOnly.send(play);
    JsonNode no = liveOnly.expect("refused");
    assertEquals(
        "forbidden", no.path("reason").asText(), "MSE recording with live view only: " + no);
    liveOnly.until("live", 20); // and it watches live instead, as without "at"
    liveOnly.send("{\"type\":\"seek\",\"at\":\"" + start + "\"}");
    assertEquals("forbidden", liveOnly.until("refused", 10).path("reason").asText());
    liveOnly.abort();
    RecordingViewer withDvr = RecordingViewer.open(HTTP, mse, admin);
    withDvr.send(play);
    JsonNode playing = withDvr.until("recording", 20);
    assertFalse(
        Instant.parse(playing.path("at").asText()).isBefore(Instant.parse(start)),
        "MSE recording with dvr, from start (later if the recording began later): " + playing);
    withDvr.abort();
  }

  /**
   * Snapshots are live video as pictures: {@code live} of the camera, and {@code dvr} for a
   * recorded instant; the token in the header or, for {@code <img>} tags, as {@code access_token}.
   */
  @Test
  @Order(1)
  void theMatrixOverPictures() throws Exception {
    long first = System.currentTimeMillis() - 2_000;
    try (MediaFeed feed =
        new MediaFeed(
            KAFKA.bootstrapServers(),
            "camflow.media.demo.sub",
            EncodedStream.h264(1, 25, 320, 240),
            "auth-it")) {
      feed.record(first, 25);
    }
    // demo/sub: the WHEP matrix counts on demo/main's media topic staying empty
    String live = "/live/demo/sub/snapshot.jpg";
    String past = "/live/demo/sub/snapshot.webp?at=" + Instant.ofEpochMilli(first + 500);
    for (String path : List.of(live, past)) {
      refused(get(port, path, null), 401, path + " without a token");
      for (Map.Entry<String, String> bad : badTokens().entrySet()) {
        refused(get(port, path, bad.getValue()), 401, path + " with " + bad.getKey());
      }
      refused(get(port, path, outsider), 403, path + " as a user without the camera");
    }
    refused(get(port, past, viewer), 403, "a recorded picture as a user with live view only");
    refused(
        get(port, "/live/nosuch/main/snapshot.jpg", viewer),
        403,
        "a picture of a camera that does not exist: the same answer");
    HttpResponse<byte[]> byHeader = get(port, live, viewer);
    assertEquals(200, byHeader.statusCode(), text(byHeader));
    assertEquals("image/jpeg", byHeader.headers().firstValue("Content-Type").orElse(""));
    assertEquals(
        200,
        get(port, live + "?access_token=" + viewer, null).statusCode(),
        "access_token parameter, for <img> tags");
    HttpResponse<byte[]> recorded = get(port, past, admin);
    assertEquals(200, recorded.statusCode(), "admin has dvr of every camera: " + text(recorded));
    assertEquals("image/webp", recorded.headers().firstValue("Content-Type").orElse(""));

    // MJPEG and the frames socket: the same rows, and the viewer in
    String mjpeg = "/live/demo/sub/mjpeg?fps=1";
    URI frames = URI.create("ws://127.0.0.1:" + port + "/live/demo/sub/frames");
    refused(get(port, mjpeg, null), 401, "MJPEG without a token");
    assertEquals(401, upgrade(frames, null), "frames socket without a token");
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      refused(get(port, mjpeg, bad.getValue()), 401, "MJPEG with " + bad.getKey());
      assertEquals(401, upgrade(frames, bad.getValue()), "frames socket with " + bad.getKey());
    }
    refused(get(port, mjpeg, outsider), 403, "MJPEG as a user without the camera");
    assertEquals(403, upgrade(frames, outsider), "frames socket as a user without the camera");
    HttpResponse<java.io.InputStream> watching =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + mjpeg))
                .header("Authorization", "Bearer " + viewer)
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, watching.statusCode(), "MJPEG with the viewer's token");
    assertTrue(
        watching.headers().firstValue("Content-Type").orElse("").startsWith("multipart/"),
        "MJPEG's type");
    watching.body().close();
    assertEquals(101, upgrade(frames, viewer), "frames socket with the viewer's token");
  }

  /** The status of a WebSocket upgrade: 101 when it opened (then closed at once). */
  static int upgrade(URI uri, String bearer) throws Exception {
    java.net.http.WebSocket.Builder b = HTTP.newWebSocketBuilder();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    try {
      b.buildAsync(uri, new java.net.http.WebSocket.Listener() {})
          .get(20, java.util.concurrent.TimeUnit.SECONDS)
          .abort();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  static HttpResponse<byte[]> whep(String method, String path, String bearer, String sdp)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
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
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    responses.add(r.headers().map() + "\n" + new String(r.body(), StandardCharsets.ISO_8859_1));
    return r;
  }

  @Test
  @Order(1)
  void theMatrixOverWhep() throws Exception {
    String offer =
        java.nio.file.Files.readString(
            java.nio.file.Path.of(
                "..", "media", "src", "test", "resources", "sdp", "chromium-video-audio.sdp"));
    String endpoint = "/live/demo/main/whep";
    String session = endpoint + "/AAAAAAAAAAAAAAAAAAAAAA";
    refused(whep("POST", endpoint, null, offer), 401, "WHEP offer without a token");
    refused(whep("DELETE", session, null, null), 401, "WHEP DELETE without a token");
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      refused(
          whep("POST", endpoint, bad.getValue(), offer), 401, "WHEP offer with " + bad.getKey());
      refused(
          whep("DELETE", session, bad.getValue(), null), 401, "WHEP DELETE with " + bad.getKey());
    }
    refused(
        whep("POST", endpoint, outsider, offer), 403, "WHEP offer as a user without the camera");
    refused(
        whep("DELETE", session, outsider, null), 403, "WHEP DELETE as a user without the camera");
    refused(
        whep("POST", "/live/garage/main/whep", viewer, offer),
        403,
        "WHEP offer for a camera not granted");
    assertEquals(
        text(whep("POST", "/live/garage/main/whep", outsider, offer)),
        text(whep("POST", "/live/nosuch/main/whep", outsider, offer)),
        "the same refusal for unknown cameras");
    // the viewer passes the door: no session to end, and no picture in the (empty) media topic
    assertEquals(404, whep("DELETE", session, viewer, null).statusCode());
    HttpResponse<byte[]> passed = whep("POST", endpoint, viewer, offer);
    assertEquals(503, passed.statusCode(), text(passed));
    assertTrue(text(passed).contains("no picture"), text(passed));
    assertEquals("2", passed.headers().firstValue("Retry-After").orElse(null));
  }

  /** A DESCRIBE on delivery's RTSP port with this Authorization (null: none): the response. */
  static RtspTestClient.Response describe(String path, String authorization) throws Exception {
    try (RtspTestClient c = new RtspTestClient(services.get(0).rtspPort())) {
      RtspTestClient.Response r =
          authorization == null
              ? c.request("DESCRIBE", c.url(path))
              : c.request("DESCRIBE", c.url(path), "Authorization", authorization);
      responses.add(r.headers() + "\n" + r.body());
      return r;
    }
  }

  static String basic(String user, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void theMatrixOverRtsp() throws Exception {
    RtspTestClient.Response none = describe("/demo/main", null);
    assertEquals(401, none.status(), none.body());
    assertEquals("Basic realm=\"camflow\"", none.header("www-authenticate"));
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      RtspTestClient.Response r = describe("/demo/main", basic("nvr", bad.getValue()));
      assertEquals(401, r.status(), "RTSP with " + bad.getKey() + ": " + r.body());
      assertEquals("Basic realm=\"camflow\"", r.header("www-authenticate"), bad.getKey());
      assertEquals(
          401,
          describe("/demo/main?jwt=" + bad.getValue(), null).status(),
          "RTSP ?jwt= with " + bad.getKey());
    }
    // a camera the caller may not see answers as one that does not exist
    RtspTestClient.Response outsiders = describe("/demo/main", basic("x", outsider));
    assertEquals(404, outsiders.status(), outsiders.body());
    RtspTestClient.Response notGranted = describe("/garage/main", "Bearer " + viewer);
    assertEquals(404, notGranted.status(), notGranted.body());
    assertEquals(
        describe("/nosuch/main", basic("x", outsider)).body(),
        describe("/garage/main", basic("x", outsider)).body(),
        "the same refusal for unknown cameras");
    // the recording (?start=) needs dvr: the viewer's live is not enough; the admin passes to the
    // (empty) recording
    RtspTestClient.Response replayRefused =
        describe("/demo/main?start=2026-12-08T00:00:00Z", "Bearer " + viewer);
    assertEquals(404, replayRefused.status(), replayRefused.body());
    assertFalse(replayRefused.body().contains("recorded"), replayRefused.body());
    RtspTestClient.Response replayPassed =
        describe("/demo/main?start=2026-12-08T00:00:00Z", "Bearer " + admin);
    assertEquals(404, replayPassed.status(), replayPassed.body());
    assertTrue(replayPassed.body().contains("recorded"), "past the door: " + replayPassed.body());
    // the viewer passes the door every way a token comes: no picture in the (empty) media topic
    for (String[] way :
        new String[][] {
          {"/demo/main", basic("nvr", viewer)},
          {"/demo/main", "Bearer " + viewer},
          {"/demo/main?jwt=" + viewer, null},
          {"/demo/main?access_token=" + viewer, null}
        }) {
      RtspTestClient.Response passed = describe(way[0], way[1]);
      assertEquals(503, passed.status(), passed.body());
      assertTrue(passed.body().contains("no picture"), passed.body());
      assertEquals("2", passed.header("retry-after"));
    }
  }

  /** An ANNOUNCE on delivery's RTSP port with this Authorization (null: none), no body. */
  static RtspTestClient.Response announce(String path, String authorization) throws Exception {
    try (RtspTestClient c = new RtspTestClient(services.get(0).rtspPort())) {
      RtspTestClient.Response r =
          authorization == null
              ? c.request("ANNOUNCE", c.url(path))
              : c.request("ANNOUNCE", c.url(path), "Authorization", authorization);
      responses.add(r.headers() + "\n" + r.body());
      return r;
    }
  }

  /**
   * Publishing (RTSP ANNOUNCE) needs the camera's {@code publish} permission: no credentials or bad
   * ones 401 with the challenge; a caller who may not see the camera 404; one who may watch it but
   * not publish 403; the admin passes the door to the stream's configuration (a published stream:
   * on to its description, here missing: 415) — and a stream that is not configured is 404 for
   * everyone.
   */
  @Test
  @Order(1)
  void theMatrixOverRtspPublishing() throws Exception {
    try (io.camflow.registry.RegistryWriter w =
        new io.camflow.registry.RegistryWriter(KAFKA.bootstrapServers(), "authit-publish")) {
      w.put(
          new io.camflow.registry.CameraEntry(
              "demo",
              io.camflow.registry.CameraEntry.API,
              List.of(io.camflow.registry.StreamEntry.published("pub")),
              null));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (announce("/demo/pub", "Bearer " + admin).status() == 404
        && System.nanoTime() < deadline) {
      Thread.sleep(200); // delivery's registry follower has not seen the camera yet
    }
    RtspTestClient.Response none = announce("/demo/pub", null);
    assertEquals(401, none.status(), none.body());
    assertEquals("Basic realm=\"camflow\"", none.header("www-authenticate"));
    for (Map.Entry<String, String> bad : badTokens().entrySet()) {
      assertEquals(
          401,
          announce("/demo/pub", basic("encoder", bad.getValue())).status(),
          "ANNOUNCE with " + bad.getKey());
    }
    assertEquals(404, announce("/demo/pub", basic("x", outsider)).status(), "outsider");
    RtspTestClient.Response viewerOnly = announce("/demo/pub", "Bearer " + viewer);
    assertEquals(403, viewerOnly.status(), "live is not publish: " + viewerOnly.body());
    RtspTestClient.Response adminPasses = announce("/demo/pub", basic("encoder", admin));
    assertEquals(415, adminPasses.status(), "past the door, no SDP: " + adminPasses.body());
    assertEquals(
        404, announce("/demo/nosuch", "Bearer " + admin).status(), "no such stream configured");
  }

  /**
   * A confidential client of the realm with a service account holding these roles of camflow's
   * client, as an admin would make for an NVR (docs/rtsp.md): its secret.
   */
  static String nvrClient(String clientId, String... roles) {
    try (org.keycloak.admin.client.Keycloak kc =
        org.keycloak.admin.client.Keycloak.getInstance(
            KC.baseUrl().toString(), "master", "admin", "admin", "admin-cli")) {
      var realm = kc.realm("camflow");
      var c = new org.keycloak.representations.idm.ClientRepresentation();
      c.setClientId(clientId);
      c.setPublicClient(false);
      c.setServiceAccountsEnabled(true);
      c.setStandardFlowEnabled(false);
      c.setDirectAccessGrantsEnabled(false);
      String secret = java.util.UUID.randomUUID().toString();
      c.setSecret(secret);
      realm.clients().create(c).close();
      String id = realm.clients().findByClientId(clientId).get(0).getId();
      var account = realm.clients().get(id).getServiceAccountUser();
      String camflow = realm.clients().findByClientId("camflow").get(0).getId();
      List<org.keycloak.representations.idm.RoleRepresentation> granted = new ArrayList<>();
      for (String role : roles) {
        granted.add(realm.clients().get(camflow).roles().get(role).toRepresentation());
      }
      if (!granted.isEmpty()) {
        realm.users().get(account.getId()).roles().clientLevel(camflow).add(granted);
      }
      cleanup.add(() -> nvrClientGone(clientId));
      secrets.add(secret);
      return secret;
    }
  }

  static void nvrClientGone(String clientId) {
    try (org.keycloak.admin.client.Keycloak kc =
        org.keycloak.admin.client.Keycloak.getInstance(
            KC.baseUrl().toString(), "master", "admin", "admin", "admin-cli")) {
      var realm = kc.realm("camflow");
      realm
          .clients()
          .findByClientId(clientId)
          .forEach(c -> realm.clients().get(c.getId()).remove());
    }
  }

  static void revoke(String clientId, String role) {
    try (org.keycloak.admin.client.Keycloak kc =
        org.keycloak.admin.client.Keycloak.getInstance(
            KC.baseUrl().toString(), "master", "admin", "admin", "admin-cli")) {
      var realm = kc.realm("camflow");
      String id = realm.clients().findByClientId(clientId).get(0).getId();
      var account = realm.clients().get(id).getServiceAccountUser();
      String camflow = realm.clients().findByClientId("camflow").get(0).getId();
      realm
          .users()
          .get(account.getId())
          .roles()
          .clientLevel(camflow)
          .remove(List.of(realm.clients().get(camflow).roles().get(role).toRepresentation()));
    }
  }

  @Test
  @Order(1)
  void nvrCredentialsAreAKeycloakClientsIdAndSecretRecheckedSoARevocationTakesEffect()
      throws Exception {
    String secret = nvrClient("nvr-rtsp-demo", "camera:demo:live");
    String none = nvrClient("nvr-rtsp-none");
    // it passes the door (no picture in demo/main's empty media topic)
    RtspTestClient.Response passed = describe("/demo/main", basic("nvr-rtsp-demo", secret));
    assertEquals(503, passed.status(), passed.body());
    assertTrue(passed.body().contains("no picture"), passed.body());
    RtspTestClient.Response wrong = describe("/demo/main", basic("nvr-rtsp-demo", "wrong"));
    assertEquals(401, wrong.status(), wrong.body());
    assertEquals("Basic realm=\"camflow\"", wrong.header("www-authenticate"));
    assertEquals(401, describe("/demo/main", basic("no-such-client", secret)).status());
    assertEquals(401, describe("/demo/main", basic("bad id!", secret)).status(), "not even asked");
    assertEquals(
        404,
        describe("/garage/main", basic("nvr-rtsp-demo", secret)).status(),
        "a camera it does not hold");
    assertEquals(
        404,
        describe("/demo/main", basic("nvr-rtsp-none", none)).status(),
        "a client without roles");
    revoke("nvr-rtsp-demo", "camera:demo:live");
    Thread.sleep(RTSP.credentialRecheck().toMillis() + 500);
    RtspTestClient.Response revoked = describe("/demo/main", basic("nvr-rtsp-demo", secret));
    assertEquals(404, revoked.status(), "revoked within the re-check interval: " + revoked.body());
  }

  @Test
  @Order(1)
  void aPlayingNvrIsRecheckedAndEndsWhenItsClientLosesTheCamera() throws Exception {
    DeliveryIT.createTopics("camflow.media.demo.nvr", "camflow.cmaf.demo.nvr");
    try (MediaFeed feed =
        new MediaFeed(
            KAFKA.bootstrapServers(),
            "camflow.media.demo.nvr",
            EncodedStream.h264(1, 25, 320, 240),
            "auth-it-nvr")) {
      feed.record(System.currentTimeMillis() - 2_000, 25);
    }
    String secret = nvrClient("nvr-rtsp-playing", "camera:demo:live");
    DeliveryService delivery = services.get(0);
    try (RtspTestClient c = new RtspTestClient(delivery.rtspPort())) {
      String url = c.url("/demo/nvr");
      String auth = basic("nvr-rtsp-playing", secret);
      RtspTestClient.Response d = c.request("DESCRIBE", url, "Authorization", auth);
      assertEquals(200, d.status(), d.body());
      RtspTestClient.Response setup =
          c.request(
              "SETUP",
              url + "/trackID=0",
              "Authorization",
              auth,
              "Transport",
              "RTP/AVP/TCP;unicast;interleaved=0-1");
      assertEquals(200, setup.status(), setup.body());
      RtspTestClient.Response play =
          c.request(
              "PLAY",
              url + "/",
              "Authorization",
              auth,
              "Session",
              setup.header("session").split(";")[0]);
      assertEquals(200, play.status(), play.body());
      assertEquals(0, c.packet().channel(), "the recorded GOP comes");
      assertEquals(1, delivery.sessions().count(Protocol.RTSP));
      Thread.sleep(2 * RTSP.credentialRecheck().toMillis() + 500);
      assertEquals(
          1, delivery.sessions().count(Protocol.RTSP), "still entitled: re-checked, it goes on");
      revoke("nvr-rtsp-playing", "camera:demo:live");
      assertTrue(c.closedByServer(), "the connection ends once the re-check finds the camera gone");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (delivery.sessions().count(Protocol.RTSP) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, delivery.sessions().count(Protocol.RTSP));
  }

  @Test
  @Order(1)
  void accessTokenInTheUrlOnlyWhereNoHeaderCanBeSet() throws Exception {
    // native players and browser WebSockets cannot set a header: playlist, media and MSE take the
    // parameter
    Media m = media("demo", "main");
    String live = "/live/demo/main/";
    for (String path :
        List.of(live + "index.m3u8", live + m.init(), live + m.part(), live + m.segment())) {
      assertEquals(
          200,
          get(port, path + "?access_token=" + viewer, null).statusCode(),
          path + "?access_token=");
    }
    java.net.http.WebSocket ws =
        HTTP.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + port + live + "mse?access_token=" + viewer),
                new java.net.http.WebSocket.Listener() {})
            .get(20, java.util.concurrent.TimeUnit.SECONDS);
    ws.abort();

    // everything else is called by code that can: the parameter is refused there, even beside a
    // valid header
    String offer =
        Files.readString(
            Path.of("..", "media", "src", "test", "resources", "sdp", "chromium-video-audio.sdp"));
    List<HttpResponse<byte[]>> inUrl =
        List.of(
            get(port, "/api/v1/me?access_token=" + viewer, null),
            get(port, "/api/v1/cameras/demo/access?access_token=" + admin, null),
            send(
                port,
                "PUT",
                "/api/v1/cameras/demo/access/live/users/nobody-authit?access_token=" + admin,
                null),
            get(port, "/api/v1/me?access_token=" + viewer, viewer),
            whep("POST", live + "whep?access_token=" + viewer, null, offer),
            whep("POST", live + "whep?access_token=" + viewer, viewer, offer),
            whep(
                "DELETE", live + "whep/AAAAAAAAAAAAAAAAAAAAAA?access_token=" + viewer, null, null));
    for (HttpResponse<byte[]> r : inUrl) {
      refused(
          r,
          401,
          r.request().method()
              + " "
              + r.request().uri().getPath()
              + " with access_token in the URL");
      assertTrue(
          text(r).contains("Authorization"), "the refusal says where the token goes: " + text(r));
    }
    assertEquals(200, get(port, "/api/v1/me", viewer).statusCode(), "the header works there");
    InetAddress external = externalAddress();
    if (external != null) { // health and metrics: Prometheus and probes set headers too
      for (String path : List.of("/healthz", "/metrics")) {
        HttpResponse<byte[]> r =
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://"
                                + external.getHostAddress()
                                + ":"
                                + port
                                + path
                                + "?access_token="
                                + admin))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        responses.add(r.headers().map() + "\n" + text(r));
        refused(r, 401, path + " with access_token in the URL");
      }
    }
  }

  /**
   * Sends one raw request and reads the status line of the answer ("" when the connection closes
   * first).
   */
  static String raw(int port, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String status = in.readLine();
      responses.add(String.valueOf(status));
      return status == null ? "" : status;
    }
  }

  @Test
  @Order(1)
  void noQueryStringReachesTheLog() throws Exception {
    String valid = forge(b -> b.subject("query-string-probe"));
    String[] p = valid.split("\\.");
    String tampered = p[0] + "." + p[1] + "." + p[2].substring(0, 20) + "query-string-probe";
    secrets.add(tampered);
    for (String token : List.of(valid, tampered, "not-a-jwt-query-string-probe")) {
      String q = "?access_token=" + token + "&st=1.1.query-string-probe";
      for (String path :
          List.of(
              "/live/demo/main/index.m3u8",
              "/live/demo/main/init-1.mp4",
              "/live/demo/main/mse",
              "/api/v1/me",
              "/live/demo/main/whep",
              "/healthz",
              "/nosuch")) {
        get(port, path + q, null);
        send(port, "POST", path + q, null);
        send(port, "PATCH", path + q, null);
        raw(
            port,
            "GET "
                + path
                + q
                + "%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"); // not URL
        // encoding
      }
      // request lines the HTTP decoder cannot read
      for (String bad : List.of("\r", "\u0001", "\u007f", " x")) {
        raw(
            port,
            "GET /live/demo/main/index.m3u8"
                + q
                + bad
                + "x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      }
      raw(port, "GET /api/v1/me" + q + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n");
    }
    assertEquals(200, get(port, "/healthz", null).statusCode(), "still serving");
    List<String> lines = Files.readAllLines(logFile());
    assertFalse(lines.isEmpty(), "the log was captured");
    for (String line : lines) {
      assertFalse(
          line.contains("query-string-probe")
              || line.contains("access_token=")
              || line.contains(p[2].substring(0, 20)),
          "a log line holds a query string: " + line.substring(0, Math.min(200, line.length())));
    }
  }

  @Test
  @Order(1)
  void tokensOfOtherClientsOfTheRealmAreRefused() throws Exception {
    // camflow-services' own token (client credentials): aud camflow, signed by the realm, another
    // azp
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(KC.tokenEndpoint())
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=camflow-services&client_secret="
                            + SERVICES_SECRET))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), "the service account's token");
    String services = JSON.readTree(r.body()).get("access_token").asText();
    secrets.add(services);
    JWTClaimsSet claims = SignedJWT.parse(services).getJWTClaimsSet();
    assertEquals("camflow-services", claims.getStringClaim("azp"));
    assertTrue(
        claims.getAudience().contains("camflow"),
        "only the client is wrong: " + claims.getAudience());
    refused(get(port, "/live/demo/main/index.m3u8", services), 401, "a token of camflow-services");
    refused(get(port, "/api/v1/me", services), 401, "a token of camflow-services on the API");
    assertEquals(200, get(port, "/api/v1/me", viewer).statusCode(), "camflow-web's");
  }

  @Test
  @Order(2)
  void unauthorisedCallersCannotTellWhichCamerasExist() throws Exception {
    HttpResponse<byte[]> existing = get(port, "/live/demo/main/index.m3u8", outsider);
    HttpResponse<byte[]> missing = get(port, "/live/nosuch/main/index.m3u8", outsider);
    HttpResponse<byte[]> viewerMissing = get(port, "/live/nosuch/main/index.m3u8", viewer);
    for (HttpResponse<byte[]> r : List.of(existing, missing, viewerMissing)) {
      refused(r, 403, "no permission");
      assertEquals(text(existing), text(r));
    }
    assertEquals(
        text(get(port, "/live/demo/main/index.m3u8", null)),
        text(get(port, "/live/nosuch/main/index.m3u8", null)));
    assertEquals(
        404,
        get(port, "/live/nosuch/main/index.m3u8", admin).statusCode(),
        "the admin may learn it");
    assertEquals(
        text(get(port, "/api/v1/cameras/demo/access", viewer)),
        text(get(port, "/api/v1/cameras/nosuch/access", viewer)));
  }

  @Test
  @Order(3)
  void grantAndRevokeThroughTheApi() throws Exception {
    String path = "/live/garage/main/index.m3u8";
    refused(get(port, path, viewer), 403, "viewer before the grant");
    HttpResponse<byte[]> granted =
        send(port, "PUT", "/api/v1/cameras/garage/access/live/users/viewer", admin);
    cleanup.add(
        0,
        () -> {
          try {
            send(port, "DELETE", "/api/v1/cameras/garage/access/live/users/viewer", admin);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertEquals(200, granted.statusCode(), text(granted));
    assertTrue(
        jsonList(JSON.readTree(granted.body()).get("live").get("users")).contains("viewer"),
        text(granted));
    JsonNode who = JSON.readTree(get(port, "/api/v1/cameras/garage/access", admin).body());
    assertTrue(jsonList(who.get("live").get("users")).contains("viewer"), who.toString());
    assertFalse(jsonList(who.get("dvr").get("users")).contains("viewer"), "live only: " + who);

    String after = token("viewer", "viewer");
    assertEquals(200, get(port, path, after).statusCode(), "the next token opens the camera");

    HttpResponse<byte[]> revoked =
        send(port, "DELETE", "/api/v1/cameras/garage/access/live/users/viewer", admin);
    assertEquals(200, revoked.statusCode(), text(revoked));
    refused(get(port, path, token("viewer", "viewer")), 403, "the next token after the revocation");

    assertEquals(
        404,
        send(
                port,
                "PUT",
                "/api/v1/cameras/garage/access/live/users/nobody-" + System.nanoTime(),
                admin)
            .statusCode());
    assertEquals(
        400,
        send(port, "PUT", "/api/v1/cameras/garage/access/watch/users/viewer", admin).statusCode());
    assertEquals(
        400,
        send(port, "PUT", "/api/v1/cameras/Bad!/access/live/users/viewer", admin).statusCode());
    assertEquals(
        405,
        send(port, "POST", "/api/v1/cameras/garage/access/live/users/viewer", admin).statusCode());
  }

  /**
   * {@code publish} is granted and listed like live and dvr (the realm provisions it for garage),
   * here to an encoder's Keycloak client as docs/permissions.md says to hold it: through the user
   * name of its service account. Its client credentials token then carries the role, and no other.
   */
  @Test
  @Order(3)
  void publishIsGrantedToAnEncodersClientThroughTheApi() throws Exception {
    String encoder = "encoder-authit-" + Long.toString(System.nanoTime(), 36);
    String secret = nvrClient(encoder); // a client with a service account and no camera role
    String grant = "/api/v1/cameras/garage/access/publish/users/service-account-" + encoder;
    HttpResponse<byte[]> granted = send(port, "PUT", grant, admin);
    assertEquals(200, granted.statusCode(), text(granted));
    JsonNode list = JSON.readTree(granted.body());
    assertTrue(
        jsonList(list.get("publish").get("users")).contains("service-account-" + encoder),
        list.toString());
    assertTrue(
        jsonList(list.get("publish").get("groups")).contains("camera-garage-publish"),
        list.toString());
    assertFalse(
        jsonList(list.get("live").get("users")).contains("service-account-" + encoder),
        list.toString());
    assertEquals(List.of("camera:garage:publish"), camflowRoles(encoder, secret));

    HttpResponse<byte[]> revoked = send(port, "DELETE", grant, admin);
    assertEquals(200, revoked.statusCode(), text(revoked));
    assertFalse(
        jsonList(JSON.readTree(revoked.body()).get("publish").get("users"))
            .contains("service-account-" + encoder),
        text(revoked));
    assertEquals(List.of(), camflowRoles(encoder, secret));
  }

  /** The camflow roles in a fresh client credentials token of this client. */
  static List<String> camflowRoles(String clientId, String secret) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(KC.tokenEndpoint())
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id="
                            + clientId
                            + "&client_secret="
                            + secret))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), "the client's token");
    String token = JSON.readTree(r.body()).get("access_token").asText();
    secrets.add(token);
    JsonNode claims = JSON.readTree(Base64URL.from(token.split("\\.")[1]).decode());
    return jsonList(claims.path("resource_access").path("camflow").path("roles"));
  }

  /**
   * delivery never provisions a camera in Keycloak (its account may not create roles:
   * docs/permissions.md): a camera Keycloak does not know is a 404 until ingest (or an
   * administrator) provisions it.
   */
  @Test
  @Order(4)
  void grantingOnACameraKeycloakDoesNotKnowWaitsForItsProvisioning() throws Exception {
    String camera = "authit-" + Long.toString(System.nanoTime(), 36);
    HttpResponse<byte[]> unknown =
        send(port, "PUT", "/api/v1/cameras/" + camera + "/access/dvr/users/viewer", admin);
    assertEquals(404, unknown.statusCode(), text(unknown));
    assertTrue(text(unknown).contains("provision"), text(unknown));
    try (CameraAccess ingest =
        new CameraAccess(
            new AdminSettings(KC.baseUrl(), "camflow", "camflow-services", SERVICES_SECRET),
            new AdminSettings(
                KC.baseUrl(),
                "camflow",
                "camflow-provisioner",
                "camflow-provisioner-local-secret"))) {
      ingest.ensureCamera(camera); // what ingest does for a camera added through the API
    }
    HttpResponse<byte[]> r =
        send(port, "PUT", "/api/v1/cameras/" + camera + "/access/dvr/users/viewer", admin);
    assertEquals(200, r.statusCode(), text(r));
    JsonNode claims =
        JSON.readTree(Base64URL.from(token("viewer", "viewer").split("\\.")[1]).decode());
    assertTrue(
        claims
            .get("resource_access")
            .get("camflow")
            .get("roles")
            .toString()
            .contains("camera:" + camera + ":dvr"));
    assertEquals(
        200,
        send(port, "DELETE", "/api/v1/cameras/" + camera + "/access/dvr/users/viewer", admin)
            .statusCode());
  }

  static List<String> jsonList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  @Order(5)
  void aRotatedRealmKeyWorksWithoutRestartingDelivery() throws Exception {
    String before = SignedJWT.parse(viewer).getHeader().getKeyID();
    assertEquals(200, get(port, "/live/demo/main/index.m3u8", viewer).statusCode());
    String rotated = realmKeys.rotate();
    cleanup.add(() -> realmKeys.removeProvider(rotated));
    String fresh = token("viewer", "viewer");
    assertEquals(
        rotated, SignedJWT.parse(fresh).getHeader().getKeyID(), "Keycloak signs with the new key");
    assertNotEquals(before, rotated);
    int status = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      status = get(port, "/live/demo/main/index.m3u8", fresh).statusCode();
      if (status == 200) {
        break;
      }
      assertEquals(503, status, "a rate-limited refetch says so, it does not refuse the token");
      Thread.sleep(300);
    }
    assertEquals(200, status, "the new key was fetched");
    assertEquals(
        200,
        get(port, "/live/demo/main/index.m3u8", viewer).statusCode(),
        "tokens of the old key still work");
  }

  @Test
  @Order(6)
  void failuresFromAnAddressNeverRefuseAValidToken() throws Exception {
    int limited = startDelivery(settings(5), null);
    String live = "/live/demo/main/index.m3u8";
    for (int i = 0; i < 26; i++) { // one bad client behind the same address (a NAT, a proxy)
      refused(get(limited, live, "junk-" + i), i < 5 ? 401 : 429, "garbage " + i);
    }
    HttpResponse<byte[]> throttled = get(limited, live, null);
    refused(throttled, 429, "no token, over the address's failure budget");
    assertTrue(Long.parseLong(throttled.headers().firstValue("Retry-After").orElse("0")) > 0);
    refused(get(limited, "/api/v1/me", "junk-api"), 429, "a bad token anywhere");

    // valid tokens of everyone else behind that address go through at once: new ones and known ones
    assertEquals(
        200,
        get(limited, live, token("viewer", "viewer")).statusCode(),
        "a token this instance never saw");
    assertEquals(200, get(limited, live, viewer).statusCode());
    assertEquals(200, get(limited, "/api/v1/me", admin).statusCode());
    refused(
        get(limited, live, outsider),
        403,
        "a valid token without the camera: the answer for it, not 429");
    HttpResponse<byte[]> playlist = get(limited, live, viewer);
    Matcher init = INIT.matcher(text(playlist));
    assertTrue(init.find(), text(playlist));
    assertEquals(
        200,
        get(limited, "/live/demo/main/" + init.group(1) + "?st=" + init.group(2), null)
            .statusCode(),
        "media with a valid stream token");
    refused(get(limited, live, "junk-after"), 429, "garbage is still throttled");
    assertEquals(200, get(port, live, viewer).statusCode(), "the other instance is unaffected");
  }

  @Test
  @Order(6)
  void forgedKeyIdsCountAsFailuresAndFetchTheKeysABoundedNumberOfTimes() throws Exception {
    int limited = startDelivery(settings(5), null); // keys refetched at most once a second
    double before = keyFetches(limited);
    long start = System.nanoTime();
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String forged =
          sign("forged-kid-" + i, (RSAPrivateKey) forgeKey.getPrivate(), viewerClaims());
      statuses.add(get(limited, "/live/demo/main/index.m3u8", forged).statusCode());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double fetches = keyFetches(limited) - before;
    assertTrue(
        statuses.subList(0, 5).stream().allMatch(s -> s == 401 || s == 503), statuses.toString());
    assertEquals(
        List.of(429),
        statuses.subList(5, statuses.size()).stream().distinct().toList(),
        "over the failure budget: throttled, no more key fetches: " + statuses);
    assertTrue(
        fetches >= 1 && fetches <= 2 + seconds, fetches + " key fetches in " + seconds + " s");
    assertEquals(
        200,
        get(limited, "/live/demo/main/index.m3u8", token("viewer", "viewer")).statusCode(),
        "a valid token from the same address");
  }

  static HttpResponse<byte[]> forwarded(
      int port, String path, String bearer, String header, String value) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .header(header, value);
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    responses.add(r.headers().map() + "\n" + text(r));
    return r;
  }

  @Test
  @Order(6)
  void behindATrustedProxyEachClientHasItsOwnAddress() throws Exception {
    // loopback plays the proxy (a proxy on the same host, as nginx in front of delivery often is)
    int behind =
        startDelivery(
            settings(5).withTrustedProxies(TrustedProxies.parse("127.0.0.1/32, ::1")), null);
    String live = "/live/demo/main/index.m3u8";
    for (int i = 0; i < 6; i++) {
      refused(
          forwarded(behind, live, "junk-" + i, "X-Forwarded-For", "203.0.113.7"),
          i < 5 ? 401 : 429,
          "a bad client " + i);
    }
    refused(
        forwarded(behind, live, "junk", "X-Forwarded-For", "203.0.113.8"),
        401,
        "its neighbour has a budget of its own");
    refused(
        forwarded(behind, live, "junk", "Forwarded", "for=203.0.113.7;proto=http"),
        429,
        "the same client, RFC 7239");
    refused(
        forwarded(behind, live, "junk", "X-Forwarded-For", "198.51.100.1, 203.0.113.7"),
        429,
        "a client cannot spoof its way out: the proxy's entry is the last one");
    refused(
        forwarded(behind, live, "junk", "Forwarded", "for=\"[2001:db8::7]:4711\""),
        401,
        "an IPv6 client");
    // health from a trusted proxy on loopback is the forwarded client's, not loopback's
    assertEquals(200, get(behind, "/healthz", null).statusCode(), "the proxy itself");
    refused(
        forwarded(behind, "/healthz", null, "X-Forwarded-For", "203.0.113.9"),
        401,
        "a client through the proxy");
    assertEquals(
        200, forwarded(behind, "/healthz", admin, "X-Forwarded-For", "203.0.113.9").statusCode());
    // viewer sessions carry the client's address, whatever the protocol
    assertEquals(
        200, forwarded(behind, live, viewer, "X-Forwarded-For", "203.0.113.51").statusCode());
    java.net.http.WebSocket ws =
        HTTP.newWebSocketBuilder()
            .header("Authorization", "Bearer " + viewer)
            .header("X-Forwarded-For", "203.0.113.50")
            .buildAsync(
                URI.create("ws://127.0.0.1:" + behind + "/live/demo/main/mse"),
                new java.net.http.WebSocket.Listener() {})
            .get(20, java.util.concurrent.TimeUnit.SECONDS);
    try {
      ws.sendText(
          "{\"type\":\"play\",\"codecs\":[\"avc1.42e01e\",\"avc1.64001f\",\"mp4a.40.2\"]}",
          true); // stays open
      String sessions = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!(sessions.contains("203.0.113.50") && sessions.contains("203.0.113.51"))
          && System.nanoTime() < deadline) {
        forwarded(behind, live, viewer, "X-Forwarded-For", "203.0.113.51"); // a watching HLS viewer
        sessions = text(get(behind, "/api/v1/sessions", admin));
      }
      assertTrue(
          sessions.contains("\"203.0.113.50\"") && sessions.contains("\"203.0.113.51\""), sessions);
      assertFalse(sessions.contains("127.0.0.1"), "not the proxy's address: " + sessions);
    } finally {
      ws.abort();
    }

    // without the proxy trusted, the headers are nothing but text a client wrote
    int direct = startDelivery(settings(5), null);
    for (int i = 0; i < 6; i++) {
      refused(
          forwarded(direct, live, "junk-" + i, "X-Forwarded-For", "192.0.2." + i),
          i < 5 ? 401 : 429,
          "spoofed X-Forwarded-For " + i);
    }
    refused(
        forwarded(direct, live, "junk", "Forwarded", "for=192.0.2.99"), 429, "spoofed Forwarded");
    assertEquals(
        200,
        forwarded(direct, "/healthz", null, "X-Forwarded-For", "203.0.113.9").statusCode(),
        "loopback stays loopback whatever the header says");
  }

  /** camflow_delivery_auth_key_fetches_total of an instance (its /metrics, open on loopback). */
  static double keyFetches(int port) throws Exception {
    String metrics = text(get(port, "/metrics", null));
    return metrics
        .lines()
        .filter(l -> l.startsWith("camflow_delivery_auth_key_fetches_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no camflow_delivery_auth_key_fetches_total in\n" + metrics));
  }

  @Test
  @Order(7)
  void healthIsOpenOnLoopbackOnly() throws Exception {
    assertEquals(200, get(port, "/healthz", null).statusCode(), "loopback, no token");
    InetAddress external = externalAddress();
    if (external != null) {
      HttpResponse<byte[]> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + external.getHostAddress() + ":" + port + "/healthz"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(401, r.statusCode(), "from another address a token is needed");
      HttpResponse<byte[]> withAdmin =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + external.getHostAddress() + ":" + port + "/healthz"))
                  .header("Authorization", "Bearer " + admin)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, withAdmin.statusCode());
      HttpResponse<byte[]> metrics =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + external.getHostAddress() + ":" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(401, metrics.statusCode(), "metrics like health");
    }
    String metrics = text(get(port, "/metrics", null));
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("camflow_delivery_auth_refusals_total{")
                        && l.contains("status=\"401\"")
                        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 10),
        "refusals are counted:\n" + metrics);
  }

  @Test
  @Order(8)
  void authOffBindsToLoopbackOnlyAndSaysSo() throws Exception {
    int open = startDelivery(AuthSettings.off(), null);
    assertEquals(
        200, get(open, "/live/demo/main/index.m3u8", null).statusCode(), "no token needed");
    InetAddress external = externalAddress();
    assertTrue(external != null, "this machine has a non-loopback address to check against");
    try (Socket s = new Socket()) {
      s.connect(new java.net.InetSocketAddress(external, open), 2000);
      throw new AssertionError("delivery with auth off answered on " + external);
    } catch (java.io.IOException expected) {
      // refused: not listening there
    }
    int rtsp = services.get(services.size() - 1).rtspPort();
    try (Socket s = new Socket()) {
      s.connect(new java.net.InetSocketAddress(external, rtsp), 2000);
      throw new AssertionError("RTSP with auth off answered on " + external);
    } catch (java.io.IOException expected) {
      // refused: not listening there
    }
    try (RtspTestClient c = new RtspTestClient(rtsp)) {
      assertEquals(200, c.request("OPTIONS", c.url("/demo/main")).status(), "on loopback it is");
    }
    String log = Files.readString(logFile());
    assertTrue(log.contains("AUTH IS OFF"), "a warning on start");
  }

  static DeliverySettings limited(ViewerLimits limits) {
    return DeliverySettings.defaults(KAFKA.bootstrapServers())
        .withMse(MseSettings.defaults().withLimits(limits));
  }

  static HttpResponse<byte[]> get(String host, int port, String path, String bearer)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
            .timeout(Duration.ofSeconds(20));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    responses.add(r.headers().map() + "\n" + new String(r.body(), StandardCharsets.ISO_8859_1));
    return r;
  }

  static void overAShare(HttpResponse<byte[]> r, String which) {
    refused(r, 503, which);
    assertTrue(text(r).contains("viewer limit of the " + which + " reached"), text(r));
    assertEquals("15", r.headers().firstValue("Retry-After").orElse(null), which);
  }

  /**
   * Opens an MSE WebSocket as {@code bearer}, says play; the close code delivery ends it with, or 0
   * if still open after 5 s.
   */
  static int mseClose(int port, String bearer) throws Exception {
    MseSocket mse = new MseSocket() {};
    mse.connect(HTTP, URI.create("ws://127.0.0.1:" + port + "/live/demo/main/mse"), bearer)
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    mse.play("avc1.42E01E");
    try {
      MseSocket.Close close = mse.closed().get(5, java.util.concurrent.TimeUnit.SECONDS);
      if (close.code() < 0) {
        throw new AssertionError("the MSE socket failed: " + close.reason());
      }
      return close.code();
    } catch (java.util.concurrent.TimeoutException open) {
      mse.abort();
      return 0;
    }
  }

  @Test
  @Order(9)
  void oneUserCannotTakeEveryPlace() throws Exception {
    int shared =
        startDelivery(limited(new ViewerLimits(20, 20).withShares(1, 0)), settings(100_000), null);
    assertEquals(
        200,
        get(shared, "/live/demo/main/index.m3u8", viewer).statusCode(),
        "the user's one place");
    overAShare(get(shared, "/live/demo/sub/index.m3u8", viewer), "user");
    assertEquals(1013, mseClose(shared, viewer), "MSE: over the user's share, limit + 1013");
    assertEquals(
        200,
        get(shared, "/live/demo/sub/index.m3u8", admin).statusCode(),
        "another user still gets in");
    assertEquals(
        200,
        get(shared, "/live/demo/main/index.m3u8", viewer).statusCode(),
        "the place held is not lost");
  }

  @Test
  @Order(10)
  void oneAddressCannotTakeEveryPlaceNorEveryHeldRequest() throws Exception {
    InetAddress external = externalAddress();
    assertTrue(external != null, "this machine has a non-loopback address to connect from");
    String host = external.getHostAddress();
    DeliveryIT.createTopics(
        "camflow.cmaf.demo.quiet"); // a stream that has not started: its playlist waits 10 s
    int shared =
        startDelivery(
            limited(new ViewerLimits(20, 20).withShares(0, 2).withHeld(100, 1)),
            settings(100_000),
            null);
    DeliveryService service = services.get(services.size() - 1);
    String quiet = "/live/demo/quiet/index.m3u8";
    // demo/main started from this machine, so that its first playlist holds no place of the address
    // below
    assertEquals(200, get(shared, "/live/demo/main/index.m3u8", viewer).statusCode());

    // held LL-HLS requests: one per address here; a second from the address is 503 at once
    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> held =
        HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create("http://" + host + ":" + shared + quiet))
                .header("Authorization", "Bearer " + admin)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    awaitHeld(service, 1);
    HttpResponse<byte[]> busy = get(host, shared, quiet, admin);
    assertEquals(503, busy.statusCode(), text(busy));
    assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
    assertTrue(text(busy).contains("too many requests waiting"), text(busy));
    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> elsewhere =
        HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shared + quiet))
                .header("Authorization", "Bearer " + viewer)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    awaitHeld(service, 2); // another address still waits
    assertFalse(held.isDone(), "the address's one held request still waits");

    // viewer places: two from the address (its quiet playlist session and this one), not three
    assertEquals(200, get(host, shared, "/live/demo/main/index.m3u8", admin).statusCode());
    overAShare(get(host, shared, "/live/demo/main/index.m3u8", viewer), "address");
    assertEquals(
        200,
        get(shared, "/live/demo/main/index.m3u8", admin).statusCode(),
        "from another address: in");

    for (var f : List.of(held, elsewhere)) {
      HttpResponse<byte[]> r = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(503, r.statusCode(), "held until the start wait is over");
      assertTrue(text(r).contains("not started yet"), text(r));
      responses.add(r.headers().map() + "\n" + text(r));
    }
  }

  static void awaitHeld(DeliveryService service, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (service.streams().heldRequests() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(n, service.streams().heldRequests(), "requests held");
  }

  static InetAddress externalAddress() throws Exception {
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nif.isUp() && !nif.isLoopback()) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address) {
            return a;
          }
        }
      }
    }
    return null;
  }

  static Path logFile() {
    return Path.of(System.getProperty("camflow.test.log", "target/test-logs/delivery-it.log"));
  }

  @Test
  @Order(100)
  void noTokenOrSecretInAnyResponseOrLogLine() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(logFile()));
    lines.addAll(Files.readAllLines(KC.logFile()));
    assertTrue(lines.size() > 20, "the log was captured");
    assertTrue(responses.size() > 100, "the responses were captured");
    List<String> checked = List.copyOf(secrets);
    assertTrue(checked.size() > 10);
    for (String secret : checked) {
      String probe =
          secret.length() > 40
              ? secret.substring(secret.length() - 40)
              : secret; // the signature part
      for (String line : lines) {
        assertFalse(
            line.contains(probe),
            "a log line holds a secret: " + line.substring(0, Math.min(120, line.length())));
      }
      for (String response : List.copyOf(responses)) {
        assertFalse(response.contains(probe), "a response holds a secret");
      }
    }
  }
}
