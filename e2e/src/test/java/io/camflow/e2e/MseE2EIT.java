package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.hub.StreamHub;
import io.camflow.testsupport.TestCamera;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket/MSE through the whole live path: a GStreamer RTSP camera with a 4 s GOP (so an instant
 * start is really one: the next keyframe is up to 4 s away), pulled on demand (the MSE viewer's
 * demand heartbeats keep it pulled, and keep delivery's consumer from its idle stop), the local
 * Kafka broker, ingest, packager and delivery (auth off), played by a minimal MSE client in
 * headless Chromium ({@code mse-play.mjs}). The camera is killed mid-view and restarted: the page
 * must be told {@code offline}, then {@code online}, and play again without a reload.
 */
class MseE2EIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static TestCamera camera;
  static LivePipeline pipeline;
  static DeliveryService delivery;
  static int port;

  @BeforeAll
  static void startEverything() throws Exception {
    camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(640, 360)
            .fps(25)
            .gop(100)
            .credentials("viewer", "e2e-Secret-42")
            .start();
    pipeline =
        LivePipeline.named("mse-e2e")
            .cameras(
                """
                cameras:
                  msee2e:
                    streams:
                      main:
                        url: %s
                        username: viewer
                        password: ${env:E2E_PASSWORD}
                        mode: on-demand
                        idleGrace: 5s
                        readTimeout: 3s
                        backoff:
                          initial: 300ms
                          max: 1s
                """
                    .formatted(camera.url()),
                Map.of("E2E_PASSWORD", "e2e-Secret-42"))
            // a stream nobody requests over HTTP is stopped after 3 s: only the MSE viewer keeps it
            // (and the camera) on
            .delivery(d -> d.idleStop(Duration.ofSeconds(3)))
            .start();
    delivery = pipeline.delivery();
    port = pipeline.port();
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

  static StreamHub stream() {
    return delivery.streams().watched().stream()
        .filter(s -> s.key().camera().equals("msee2e"))
        .findFirst()
        .orElse(null);
  }

  @Test
  void chromiumStartsAtOnceFollowsLiveAndSurvivesACameraRestart() throws Exception {
    // warm: delivery reads the stream (a playlist request opens it) and the camera is sending
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/live/msee2e/main/";
    await(
        () -> {
          try {
            return http.send(
                        HttpRequest.newBuilder(URI.create(base + "index.m3u8")).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200;
          } catch (Exception e) {
            return false;
          }
        },
        Duration.ofSeconds(60),
        "the stream is packaged and served");
    await(
        () -> stream() != null && stream().mse().online(),
        Duration.ofSeconds(20),
        "delivery has the stream live");
    // playlist requests keep the stream warm (delivery's idle stop is 3 s here) until the page is
    // connected
    Thread keepWarm =
        new Thread(
            () -> {
              while (delivery.mseViewers().count() == 0) {
                try {
                  http.send(
                      HttpRequest.newBuilder(URI.create(base + "index.m3u8")).build(),
                      HttpResponse.BodyHandlers.discarding());
                  Thread.sleep(500);
                } catch (Exception e) {
                  return;
                }
              }
            },
            "keep-warm");
    keepWarm.setDaemon(true);
    keepWarm.start();
    Thread.sleep(2000); // somewhere inside a GOP, not at its keyframe

    ProcessBuilder page =
        new ProcessBuilder(
                "node",
                "src/test/js/mse-play.mjs",
                "ws://127.0.0.1:" + port + "/live/msee2e/main/mse",
                "75")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    page.environment().put("UNTIL_BACK", "1"); // stops once it has played again after online
    Process node = page.start();
    node.getOutputStream().close();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(node.getInputStream().readAllBytes()).trim();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await(() -> delivery.mseViewers().count() == 1, Duration.ofSeconds(30), "the page connects");
    // watch 14 s: past the 10 s in which the playlist requests above still count as a viewer, and
    // past delivery's 3 s idle stop and ingest's 5 s idle grace — only the MSE viewer keeps it all
    // on
    Thread.sleep(14_000);
    camera.kill();
    await(
        () -> !stream().mse().online(),
        Duration.ofSeconds(15),
        "delivery notices the camera is gone");
    Thread.sleep(1000);
    camera.restart();

    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser run finishes");
    String out = output.get(5, TimeUnit.SECONDS);
    assertEquals(0, node.exitValue(), "browser driver output: " + out);
    JsonNode r = JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
    System.out.println("MSE in Chromium: " + r);
    assertEquals(0, r.get("errors").size(), "no MSE error: " + r);
    assertEquals(640, r.get("width").asInt(), r.toString());
    List<String> types = new ArrayList<>();
    r.get("events").forEach(e -> types.add(e.get("type").asText()));
    assertEquals(
        List.of("init", "live"),
        types.subList(0, 2),
        "starts with init, the GOP burst, then live: " + types);
    int offline = types.indexOf("offline");
    assertTrue(offline > 1, "told offline when the camera died: " + types);
    assertTrue(types.indexOf("online") > offline, "then online: " + types);
    assertEquals(
        "init", types.get(types.indexOf("online") + 1), "with the new init segment: " + types);
    JsonNode firstFrame = r.get("firstFrameFromOpenMs");
    assertNotNull(firstFrame, "a frame was rendered");
    assertTrue(
        firstFrame.asLong() < 2000, "first frame well within the 4 s GOP: " + firstFrame + " ms");
    long framesBeforeOffline = r.get("events").get(offline).get("frames").asLong();
    assertTrue(
        framesBeforeOffline >= 300, "decoded frames grew while live: " + framesBeforeOffline);
    assertTrue(
        r.get("framesAfterOnline").asLong() >= 50, "plays again after online without reload: " + r);
    assertTrue(r.get("advancedS").asDouble() >= 10, "currentTime advanced: " + r.get("advancedS"));
  }
}
