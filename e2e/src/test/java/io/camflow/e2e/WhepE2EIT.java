package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.testsupport.TestCamera;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebRTC (WHEP) through the whole live path: GStreamer RTSP cameras (one with a 4 s GOP, so an
 * instant start is really one; one with B-frames), the local Kafka broker, ingest, packager and
 * delivery (auth off; the auth matrix over WHEP is AuthIT's), played by a minimal WHEP client in
 * headless Chromium ({@code whep-play.mjs}) which reports the browser's own statistics. A second
 * delivery drops 5 % of its outgoing RTP packets on purpose: NACKs must keep the picture going.
 */
class WhepE2EIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static TestCamera camera;
  static TestCamera bframes;
  static LivePipeline pipeline;
  static DeliveryService delivery;
  static DeliveryService lossy;
  static int port;
  static int lossyPort;

  @BeforeAll
  static void startEverything() throws Exception {
    camera =
        TestCamera.builder().codec(TestCamera.Codec.H264).size(640, 360).fps(25).gop(100).start();
    bframes =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(320, 240)
            .fps(25)
            .gop(50)
            .bframes(2)
            .start();
    pipeline =
        LivePipeline.named("whep-e2e")
            .cameras(
                """
                cameras:
                  whepe2e:
                    streams:
                      main:
                        url: %s
                        mode: always
                        readTimeout: 3s
                  whepbframes:
                    streams:
                      main:
                        url: %s
                        mode: always
                        readTimeout: 3s
                """
                    .formatted(camera.url(), bframes.url()))
            .delivery(d -> d.webrtc(WhepSettings.defaults()))
            // the lossy one: drops 5 % of its outgoing RTP packets
            .delivery(d -> d.webrtc(WhepSettings.defaults().withDropRate(0.05)))
            .start();
    delivery = pipeline.delivery(0);
    port = pipeline.port(0);
    lossy = pipeline.delivery(1);
    lossyPort = pipeline.port(1);
    for (String camera : List.of("whepe2e", "whepbframes")) {
      await(
          () -> get(port, "/live/" + camera + "/main/index.m3u8") == 200,
          Duration.ofSeconds(60),
          camera + " is packaged and served");
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    for (TestCamera c : new TestCamera[] {camera, bframes}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static int get(int port, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static HttpResponse<String> send(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    // one connection per request: a keep-alive connection the server closed after a refusal raced
    // the next
    // request once ("header parser received no bytes"; noted in the issue, not yet explained)
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Runs whep-play.mjs against a delivery for {@code seconds}; its JSON report. */
  static JsonNode play(int port, String stream, int seconds, Runnable whilePlaying)
      throws Exception {
    return WhepPlay.play(
        "http://127.0.0.1:" + port + "/live/" + stream + "/whep", seconds, Map.of(), whilePlaying);
  }

  @Test
  void chromiumDecodesTwentySecondsFromTheGopCacheWithoutAFreeze() throws Exception {
    // warm: an offer made and ended without a browser starts delivery's reading of the stream
    HttpResponse<String> warm = send("POST", "/live/whepe2e/main/whep", "application/sdp", offer());
    assertEquals(201, warm.statusCode(), warm.body());
    assertTrue(
        warm.body().contains("a=ice-lite") && warm.body().contains("a=sendonly"), warm.body());
    String location = warm.headers().firstValue("Location").orElseThrow();
    assertEquals(200, send("DELETE", location, null, null).statusCode());
    assertEquals(404, send("DELETE", location, null, null).statusCode(), "ended once");
    Thread.sleep(1500); // somewhere inside the 4 s GOP, not at its keyframe
    JsonNode r =
        play(
            port,
            "whepe2e/main",
            20,
            () -> {
              try {
                await(
                    () -> delivery.sessions().count(Protocol.WEBRTC) == 1,
                    Duration.ofSeconds(30),
                    "the session is listed with the other viewers");
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    System.out.println(
        "WHEP in Chromium: answer "
            + r.get("answerMs")
            + " ms, first frame "
            + r.get("firstFrameMs")
            + " ms, final "
            + r.get("final"));
    assertEquals(201, r.get("status").asInt(), r.toString());
    assertTrue(r.get("location").asText().startsWith("/live/whepe2e/main/whep/"), r.toString());
    JsonNode last = r.get("final");
    assertEquals(640, last.get("frameWidth").asInt(), r.toString());
    long firstFrame = r.get("firstFrameMs").asLong();
    assertTrue(
        firstFrame < 2000,
        "the first frame came from the GOP cache, not the next keyframe up to 4 s away: "
            + firstFrame
            + " ms");
    // decoding the GOP burst (up to 4 s of frames due at once) may hold the picture for a moment
    // right at
    // the start, which the browser counts as a freeze; once it is decoded, no freeze for the 20 s
    JsonNode samples = r.get("samples");
    JsonNode started = samples.get(1);
    assertTrue(
        started.get("totalFreezesDuration").asDouble() < 1.0,
        "at most a brief hold at the start: " + r);
    assertEquals(
        started.get("freezeCount").asInt(),
        last.get("freezeCount").asInt(),
        "no freeze once playing: " + r);
    // decoded frames grew every second once playing, to about 25 per second
    for (int i = 2; i < samples.size(); i++) {
      assertTrue(
          samples.get(i).get("framesDecoded").asLong()
              > samples.get(i - 1).get("framesDecoded").asLong(),
          "frames decoded grew in second " + i + ": " + samples);
    }
    assertTrue(
        last.get("framesDecoded").asLong() >= 20 * 25 * 0.8, "about 25 fps for 20 s: " + last);
    assertEquals(200, r.get("deleteStatus").asInt(), "DELETE ends the session");
    // every live frame sent was timed from ingest's receipt (docs/operations.md)
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double timed =
        metrics
            .lines()
            .filter(
                l ->
                    l.startsWith("camflow_delivery_added_latency_seconds_count{")
                        && l.contains("protocol=\"webrtc\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    assertTrue(
        timed >= 20 * 25 * 0.7,
        "live frames timed for camflow_delivery_added_latency_seconds: " + timed);
    await(
        () -> delivery.sessions().count(Protocol.WEBRTC) == 0,
        Duration.ofSeconds(10),
        "the session is gone");
  }

  @Test
  void fivePercentLossIsRepairedByNacks() throws Exception {
    JsonNode r = play(lossyPort, "whepe2e/main", 20, () -> {});
    JsonNode last = r.get("final");
    System.out.println("WHEP with 5 % loss: " + last);
    assertTrue(
        last.get("nackCount").asLong() > 0, "the browser asked for the lost packets: " + last);
    assertTrue(
        last.get("framesDecoded").asLong() >= 20 * 25 * 0.7, "the picture kept going: " + last);
    assertTrue(last.get("totalFreezesDuration").asDouble() < 2.0, "at most brief freezes: " + last);
  }

  @Test
  void aStreamWithBFramesIsRefusedWithTheReasonSoThePlayerFallsBack() throws Exception {
    HttpResponse<String> r =
        send("POST", "/live/whepbframes/main/whep", "application/sdp", offer());
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(r.body().contains("B-frames"), r.body());
    assertEquals(0, delivery.sessions().count(Protocol.WEBRTC));
  }

  @Test
  void badOffersAndRequestsAreRefusedCleanly() throws Exception {
    String path = "/live/whepe2e/main/whep";
    HttpResponse<String> r = send("POST", path, "application/sdp", "v=0\r\nthis is not sdp\r\n");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("SDP line"), r.body());
    r = send("POST", path, "application/sdp", withoutH264(offer()));
    assertEquals(406, r.statusCode(), r.body());
    assertTrue(r.body().contains("H.264"), r.body());
    r = send("POST", path, "application/json", offer());
    assertEquals(415, r.statusCode(), r.body());
    assertEquals("application/sdp", r.headers().firstValue("Accept-Post").orElse(null));
    r = send("POST", "/live/nosuchcamera/main/whep", "application/sdp", offer());
    assertEquals(404, r.statusCode(), r.body());
    r =
        send(
            "PATCH",
            path + "/abcdefgh",
            "application/trickle-ice-sdpfrag",
            "a=candidate:1 1 udp 1 1.2.3.4 5 typ host");
    assertEquals(405, r.statusCode(), r.body());
    r = send("DELETE", path + "/nosuchsession", null, null);
    assertEquals(404, r.statusCode(), r.body());
    r = send("OPTIONS", path, null, null);
    assertEquals(204, r.statusCode());
    assertEquals("application/sdp", r.headers().firstValue("Accept-Post").orElse(null));
    assertEquals(
        0, delivery.sessions().count(Protocol.WEBRTC), "no refused offer left a session behind");
  }

  /**
   * A real offer from headless Chromium (recvonly video and audio), as stored with the SDP tests.
   */
  static String offer() throws Exception {
    return Files.readString(
        Path.of("..", "media", "src", "test", "resources", "sdp", "chromium-video-audio.sdp"));
  }

  /**
   * The offer with every H.264 payload type (and the RTX of each) taken out of its video section.
   */
  static String withoutH264(String sdp) {
    Set<String> drop = new HashSet<>();
    Matcher h264 = Pattern.compile("a=rtpmap:(\\d+) H264/").matcher(sdp);
    while (h264.find()) {
      drop.add(h264.group(1));
    }
    Matcher rtx = Pattern.compile("a=fmtp:(\\d+) apt=(\\d+)").matcher(sdp);
    while (rtx.find()) {
      if (drop.contains(rtx.group(2))) {
        drop.add(rtx.group(1));
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : sdp.split("\r\n")) {
      Matcher attr = Pattern.compile("a=(?:rtpmap|fmtp|rtcp-fb):(\\d+) .*").matcher(line);
      if (attr.matches() && drop.contains(attr.group(1))) {
        continue;
      }
      if (line.startsWith("m=video ")) {
        List<String> parts = new ArrayList<>(List.of(line.split(" ")));
        List<String> kept = new ArrayList<>(parts.subList(0, 3));
        parts.subList(3, parts.size()).stream().filter(pt -> !drop.contains(pt)).forEach(kept::add);
        line = String.join(" ", kept);
      }
      out.append(line).append("\r\n");
    }
    return out.toString();
  }
}
