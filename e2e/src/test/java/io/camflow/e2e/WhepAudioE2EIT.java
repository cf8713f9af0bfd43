package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.testsupport.TestCamera;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Audio over WebRTC from the most common camera audio, AAC: a GStreamer RTSP camera sending H.264
 * and an AAC sine, through the local Kafka, ingest, packager and delivery, played in headless
 * Chromium by {@code whep-play.mjs} with {@code AUDIO=1}. Delivery offers Opus and transcodes the
 * AAC while the browser listens; the browser's own statistics must show sound arriving and decoded
 * (samples growing, a level above silence, little concealment) and the picture going on.
 */
class WhepAudioE2EIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String STREAM = "whepaudio/main";
  static TestCamera camera;
  static LivePipeline pipeline;
  static int port;

  @BeforeAll
  static void startEverything() throws Exception {
    camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(640, 360)
            .fps(25)
            .gop(50)
            .audio(TestCamera.Audio.AAC)
            .start();
    pipeline =
        LivePipeline.named("whep-audio-e2e")
            .cameras(
                """
                cameras:
                  whepaudio:
                    streams:
                      main:
                        url: %s
                        mode: always
                        readTimeout: 3s
                """
                    .formatted(camera.url()))
            .delivery(d -> d.webrtc(WhepSettings.defaults()))
            .start();
    port = pipeline.port();
    await(
        () -> get("/live/" + STREAM + "/index.m3u8") == 200,
        Duration.ofSeconds(60),
        "the stream is served");
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

  static int get(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/sdp");
    }
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The Prometheus gauge of streams whose AAC is being transcoded. */
  static double transcodingStreams() {
    try {
      String metrics =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return metrics
          .lines()
          .filter(l -> l.startsWith("camflow_delivery_audio_transcoding_streams"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .findFirst()
          .orElse(-1);
    } catch (Exception e) {
      return -1;
    }
  }

  /** Runs whep-play.mjs with audio statistics for {@code seconds}; its JSON report. */
  static JsonNode play(int seconds, Runnable whilePlaying) throws Exception {
    return WhepPlay.play(
        "http://127.0.0.1:" + port + "/live/" + STREAM + "/whep",
        seconds,
        Map.of("AUDIO", "1"),
        whilePlaying);
  }

  @Test
  void chromiumHearsTheAacCameraAsOpusWhileThePictureGoesOn() throws Exception {
    // the answer to a real Chromium offer carries an Opus audio section for this AAC stream
    String offer =
        Files.readString(
            Path.of("..", "media", "src", "test", "resources", "sdp", "chromium-video-audio.sdp"));
    HttpResponse<String> answer = send("POST", "/live/" + STREAM + "/whep", offer);
    assertEquals(201, answer.statusCode(), answer.body());
    assertTrue(
        answer.body().contains("m=audio ") && answer.body().contains(" opus/48000/2"),
        answer.body());
    assertEquals(
        200,
        send("DELETE", answer.headers().firstValue("Location").orElseThrow(), null).statusCode());
    assertEquals(0.0, transcodingStreams(), "a viewer that never connected made no transcoding");

    int seconds = 15;
    JsonNode r =
        play(
            seconds,
            () -> {
              try {
                await(
                    () -> transcodingStreams() == 1.0,
                    Duration.ofSeconds(30),
                    "one stream transcoded while the browser listens");
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    System.out.println(
        "WHEP audio in Chromium: first frame "
            + r.get("firstFrameMs")
            + " ms, video "
            + r.get("final")
            + ", audio "
            + r.get("audio"));
    assertEquals(201, r.get("status").asInt(), r.toString());
    JsonNode samples = r.get("samples");
    // from the third second on, every second brought sound: samples received growing, some of them
    // loud
    double loudest = 0;
    for (int i = 2; i < samples.size(); i++) {
      JsonNode a = samples.get(i).get("audio");
      JsonNode before = samples.get(i - 1).get("audio");
      assertTrue(a != null && !a.isNull(), "an audio track was received: " + r);
      assertTrue(
          a.get("totalSamplesReceived").asLong()
              > before.get("totalSamplesReceived").asLong() + 48_000 * 0.7,
          "about a second of sound in second " + i + ": " + samples);
      assertTrue(
          samples.get(i).get("framesDecoded").asLong()
              > samples.get(i - 1).get("framesDecoded").asLong(),
          "the picture went on in second " + i + ": " + samples);
      loudest = Math.max(loudest, a.get("audioLevel").asDouble());
    }
    JsonNode audio = r.get("audio");
    assertTrue(
        loudest > 0.05,
        "the sine is heard, not silence (audioLevel up to " + loudest + "): " + audio);
    assertTrue(audio.get("totalAudioEnergy").asDouble() > 0, audio.toString());
    // over the sampled seconds (they start at the first picture, late on a busy machine) sound
    // played all along
    assertTrue(samples.size() >= 4, "seconds sampled: " + samples);
    JsonNode first = samples.get(1);
    JsonNode last = samples.get(samples.size() - 1);
    double heard =
        (last.get("audio").get("totalSamplesReceived").asLong()
                - first.get("audio").get("totalSamplesReceived").asLong())
            / 48_000.0;
    double span = (last.get("t").asLong() - first.get("t").asLong()) / 1000.0;
    assertEquals(span, heard, span * 0.1, "seconds of sound over " + span + " s: " + samples);
    assertTrue(
        audio.get("concealedSamples").asDouble()
            < 0.1 * audio.get("totalSamplesReceived").asDouble(),
        "little concealment (lost or late packets): " + audio);
    assertTrue(
        r.get("final").get("framesDecoded").asLong() >= seconds * 25 * 0.7,
        "video decoded too: " + r.get("final"));
    assertEquals(200, r.get("deleteStatus").asInt());
    await(
        () -> transcodingStreams() == 0.0,
        Duration.ofSeconds(10),
        "the transcoding stops with its last listener");
  }
}
