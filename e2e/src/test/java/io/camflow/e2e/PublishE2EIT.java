package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.whep.WhepSettings;
import java.time.Duration;
import java.util.ArrayList;
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
 * Publishing into camflow end to end (docs/rtsp.md, "Publishing"), with real parts: FFmpeg pushes
 * H.264 and AAC to delivery's RTSP port, over TCP and then UDP, into a stream configured {@code
 * source: publish}; the local Kafka broker, the packager, and delivery serve it as any pulled
 * camera: hls.js and WebRTC in headless Chromium play it, FFmpeg reads it back over RTSP, and an
 * MSE viewer in Chromium plays it until the publisher leaves — then the stream is offline in {@code
 * camflow.status} and the viewer is told. A second publisher is refused while the first sends; a
 * pulled stream takes no publisher.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishE2EIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static LivePipeline pipeline;
  static Process publisher;

  @BeforeAll
  static void start() throws Exception {
    pipeline =
        LivePipeline.named("publish-e2e")
            .cameras(
                """
                cameras:
                  pub:
                    streams:
                      main:
                        source: publish
                  pulled:
                    streams:
                      main:
                        url: synthetic:testsrc?size=320x240&rate=25
                        mode: on-demand
                """)
            // ingest writes the file's cameras to the registry, where delivery reads which streams
            // are published (as IngestMain does)
            .registry(CameraRegistryE2EIT.BOX, id -> {})
            .delivery(d -> d.cors(CorsPolicy.anyOrigin()).webrtc(WhepSettings.defaults()))
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (publisher != null) {
      publisher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  static String rtsp(String stream) {
    return "rtsp://127.0.0.1:" + pipeline.delivery().rtspPort() + "/" + stream;
  }

  /**
   * FFmpeg publishing a 640x360 test picture (GOP 1 s) and a tone, as an encoder would; for more
   * than a minute its output goes to {@link #PUBLISHER_LOG}.
   */
  static Process publish(String stream, String transport, int seconds) throws Exception {
    return new ProcessBuilder(
            "/usr/bin/ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-re",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=640x360:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000",
            "-t",
            Integer.toString(seconds),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-tune",
            "zerolatency",
            "-g",
            "25",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            "-f",
            "rtsp",
            "-rtsp_transport",
            transport,
            rtsp(stream))
        .redirectErrorStream(true)
        .redirectOutput(
            seconds > 60
                ? ProcessBuilder.Redirect.appendTo(PUBLISHER_LOG.toFile())
                : ProcessBuilder.Redirect.PIPE)
        .start();
  }

  /** What the long-running publishers said. */
  static final java.nio.file.Path PUBLISHER_LOG = tempFile();

  static java.nio.file.Path tempFile() {
    try {
      return java.nio.file.Files.createTempFile("camflow-publisher", ".log");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String publisherLog() {
    try {
      return java.nio.file.Files.readString(PUBLISHER_LOG);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** The latest camflow.status record of pub/main. */
  static JsonNode status() {
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
          if ("pub/main".equals(r.key())) {
            last = r.value();
          }
        }
      }
      return last == null ? null : JSON.readTree(last);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String state() {
    JsonNode s = status();
    return s == null ? null : s.get("state").asText();
  }

  static String output(Process p) throws Exception {
    return new String(p.getInputStream().readAllBytes()).trim();
  }

  @Test
  @Order(1)
  void ffmpegPublishesOverTcpAndTheStreamPlaysInHlsAndWebRtc() throws Exception {
    publisher = publish("pub/main", "tcp", 600);
    await(
        () -> "streaming".equals(state()),
        Duration.ofSeconds(30),
        "the published stream is streaming, status " + status() + "; FFmpeg: " + publisherLog());
    JsonNode s = status();
    assertEquals("h264", s.get("codec").asText(), s.toString());
    assertEquals(640, s.get("width").asInt(), s.toString());
    JsonNode listed =
        JSON.readTree(
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(
                                "http://127.0.0.1:"
                                    + pipeline.port()
                                    + "/api/v1/sessions?camera=pub"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body());
    assertTrue(
        listed.toString().contains("\"protocol\":\"rtsp\"")
            && listed.toString().contains("\"publishing\":true"),
        "the publisher is a session: " + listed);

    JsonNode hls = G711AudioE2EIT.run("src/test/js/hls-play.mjs", playlist(), 12);
    assertEquals(0, hls.get("fatal").size(), "no fatal hls.js error: " + hls);
    assertEquals(640, hls.get("width").asInt(), hls.toString());
    assertTrue(
        hls.get("audio").get("bufferCodecs").toString().contains("mp4a.40.2"),
        "the published AAC is in the HLS stream: " + hls.get("audio"));
    assertTrue(
        hls.get("last").get("frames").asLong() - hls.get("first").get("frames").asLong() >= 100,
        "hls.js plays the published stream: " + hls);

    JsonNode rtc =
        WhepPlay.play(
            "http://127.0.0.1:" + pipeline.port() + "/live/pub/main/whep", 6, Map.of(), () -> {});
    assertTrue(rtc.toString().contains("framesDecoded"), rtc.toString());
    System.out.println("published stream: hls.js " + hls.get("last") + "; WebRTC " + rtc);
  }

  static String playlist() {
    return pipeline.live("pub") + "index.m3u8";
  }

  @Test
  @Order(2)
  void anRtspReaderGetsThePublishedPictureAndSoundBackThroughCamflow() throws Exception {
    Process probe =
        new ProcessBuilder(
                "/usr/bin/ffprobe",
                "-v",
                "error",
                "-rtsp_transport",
                "tcp",
                "-read_intervals",
                "%+3",
                "-count_frames",
                "-show_entries",
                "stream=codec_name,width,nb_read_frames",
                "-of",
                "csv=p=0",
                rtsp("pub/main"))
            .redirectErrorStream(true)
            .start();
    String out = output(probe);
    assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "ffprobe finishes");
    assertEquals(0, probe.exitValue(), out);
    assertTrue(out.contains("h264,640"), "the published video: " + out);
    assertTrue(out.contains("aac"), "and its sound: " + out);
  }

  @Test
  @Order(3)
  void aSecondPublisherIsRefusedWhileTheFirstSends() throws Exception {
    Process second = publish("pub/main", "tcp", 5);
    String out = output(second);
    assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second publisher gives up");
    assertNotEquals(0, second.exitValue(), out);
    assertTrue(out.contains("409"), "FFmpeg names the refusal: " + out);
    assertTrue(publisher.isAlive(), "the first one goes on");
    assertEquals("streaming", state());
  }

  @Test
  @Order(4)
  void aPulledStreamTakesNoPublisher() throws Exception {
    Process wrong = publish("pulled/main", "tcp", 5);
    String out = output(wrong);
    assertTrue(wrong.waitFor(30, TimeUnit.SECONDS));
    assertNotEquals(0, wrong.exitValue(), out);
    assertTrue(out.contains("405"), "a pulled stream is not published: " + out);
    Process unknown = publish("nosuch/main", "tcp", 5);
    String none = output(unknown);
    assertTrue(unknown.waitFor(30, TimeUnit.SECONDS));
    assertTrue(none.contains("404"), "no such stream: " + none);
  }

  @Test
  @Order(5)
  void whenThePublisherLeavesTheStreamIsOfflineAndViewersAreTold() throws Exception {
    String session = status().get("session").asText();
    List<JsonNode> reports = new ArrayList<>();
    Thread viewer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    reports.add(
                        G711AudioE2EIT.run("src/test/js/mse-play.mjs", pipeline.mse("pub"), 14));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    Thread.sleep(5_000);
    publisher.destroy(); // FFmpeg ends its session (TEARDOWN) on SIGTERM
    assertTrue(publisher.waitFor(10, TimeUnit.SECONDS));
    await(
        () -> "offline".equals(state()),
        Duration.ofSeconds(15),
        "the stream is offline once its publisher has gone: " + status());
    assertEquals(session, status().get("session").asText(), "the same publication ended");
    viewer.join(60_000);
    assertEquals(1, reports.size(), "the MSE viewer finished");
    JsonNode mse = reports.getFirst();
    assertEquals(0, mse.get("errors").size(), "no MSE error: " + mse);
    assertTrue(mse.get("advancedS").asDouble() >= 3, "MSE played the published stream: " + mse);
    assertTrue(
        reports.getFirst().get("events").toString().contains("offline"),
        "the MSE viewer was told the stream went offline: " + reports.getFirst().get("events"));
  }

  @Test
  @Order(6)
  void ffmpegPublishesOverUdpToo() throws Exception {
    String before = status().get("session").asText();
    publisher = publish("pub/main", "udp", 600);
    await(
        () -> "streaming".equals(state()) && !before.equals(status().get("session").asText()),
        Duration.ofSeconds(30),
        "a new publication over UDP is streaming: " + status() + "; FFmpeg: " + publisherLog());
    Process read =
        new ProcessBuilder(
                "/usr/bin/ffprobe",
                "-v",
                "error",
                "-read_intervals",
                "%+4",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=codec_name,nb_read_frames",
                "-of",
                "csv=p=0",
                playlist())
            .redirectErrorStream(true)
            .start();
    String out = output(read);
    assertTrue(read.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, read.exitValue(), out);
    String[] fields = out.lines().reduce((a, b) -> b).orElse("").split(",");
    assertEquals("h264", fields[0], out);
    assertTrue(Integer.parseInt(fields[1].trim()) >= 50, "HLS of the UDP publication: " + out);
  }
}
