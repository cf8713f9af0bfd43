package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.testsupport.TestCamera;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole live path with real parts: a GStreamer RTSP camera (Digest auth, mode on-demand), the
 * local Kafka broker, ingest, packager and delivery, watched by FFmpeg and by hls.js in headless
 * Chromium. Nobody watches at first, so the first viewer must start the camera, and the camera must
 * stop again once everybody has left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveHlsE2EIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static TestCamera camera;
  static LivePipeline pipeline;
  static String playlist;

  @BeforeAll
  static void startEverything() throws Exception {
    camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(640, 360)
            .fps(25)
            .gop(25)
            .credentials("viewer", "e2e-Secret-42")
            .start();
    pipeline =
        LivePipeline.named("e2e")
            .cameras(
                """
                cameras:
                  e2e:
                    streams:
                      main:
                        url: %s
                        username: viewer
                        password: ${env:E2E_PASSWORD}
                        mode: on-demand
                        idleGrace: 4s
                """
                    .formatted(camera.url()),
                Map.of("E2E_PASSWORD", "e2e-Secret-42"))
            .delivery(d -> d.cors(CorsPolicy.anyOrigin()))
            .start();
    playlist = pipeline.live("e2e") + "index.m3u8";
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

  static String lastState() {
    Properties p = new Properties();
    p.put("bootstrap.servers", pipeline.bootstrapServers());
    String last = null;
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("camflow.status", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
          if ("e2e/main".equals(r.key())) {
            last = r.value();
          }
        }
      }
    }
    try {
      return last == null ? null : JSON.readTree(last).get("state").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(1)
  void nobodyWatchesSoTheCameraIsNotPulled() throws Exception {
    await(
        () -> "idle".equals(lastState()),
        Duration.ofSeconds(15),
        "ingest reports the on-demand stream idle");
  }

  @Test
  @Order(2)
  void ffmpegPlaysTenSecondsOfTheLivePlaylistWithoutErrors() throws Exception {
    // the first request starts the camera (demand heartbeat) and waits for the stream
    Path out = Files.createTempFile("camflow-e2e", ".mp4");
    Process ffmpeg =
        new ProcessBuilder(
                "/usr/bin/ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-xerror",
                "-y",
                "-i",
                playlist,
                "-t",
                "10",
                "-c",
                "copy",
                out.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(ffmpeg.getInputStream().readAllBytes());
    assertTrue(ffmpeg.waitFor(90, TimeUnit.SECONDS), "ffmpeg finishes");
    assertEquals(0, ffmpeg.exitValue(), "ffmpeg reads the live playlist without errors: " + log);
    Process probe =
        new ProcessBuilder(
                "/usr/bin/ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=codec_name,width,height,nb_read_frames",
                "-of",
                "csv=p=0",
                out.toString())
            .redirectErrorStream(true)
            .start();
    String[] fields = new String(probe.getInputStream().readAllBytes()).trim().split(",");
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS));
    assertEquals("h264", fields[0]);
    assertEquals("640", fields[1]);
    assertEquals("360", fields[2]);
    int frames = Integer.parseInt(fields[3]);
    assertTrue(frames >= 240, "about 10 s at 25 fps decoded, was " + frames);
  }

  @Test
  @Order(3)
  void hlsJsInChromiumPlaysTheStreamWithinAFewSeconds() throws Exception {
    Process node =
        new ProcessBuilder("node", "src/test/js/hls-play.mjs", playlist, "12")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(90, TimeUnit.SECONDS), "the browser run finishes");
    assertEquals(0, node.exitValue(), "browser driver output: " + out);
    JsonNode r = JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
    assertEquals(0, r.get("fatal").size(), "no fatal hls.js error: " + r);
    assertEquals(640, r.get("width").asInt(), r.toString());
    assertTrue(r.get("firstFrameMs").asLong() < 5_000, "first picture within a few seconds: " + r);
    JsonNode first = r.get("first");
    JsonNode last = r.get("last");
    assertTrue(
        last.get("frames").asLong() - first.get("frames").asLong() >= 150,
        "decoded frames keep growing: " + r);
    assertTrue(
        last.get("currentTime").asDouble() - first.get("currentTime").asDouble() >= 6,
        "playback position advances: " + r);
    System.out.println("hls.js in Chromium: " + r);
  }

  @Test
  @Order(4)
  void whenEverybodyHasLeftTheCameraStops() throws Exception {
    // delivery stops heartbeats for a stream nobody requests; ingest closes after its 4 s grace
    await(
        () -> "idle".equals(lastState()),
        Duration.ofSeconds(40),
        "the camera is released, state " + lastState());
  }
}
