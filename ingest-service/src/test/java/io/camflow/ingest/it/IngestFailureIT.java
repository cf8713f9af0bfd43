package io.camflow.ingest.it;

import static io.camflow.ingest.it.IngestFixture.await;
import static io.camflow.ingest.it.IngestFixture.header;
import static io.camflow.ingest.it.RtspIngestIT.GOP;
import static io.camflow.ingest.it.RtspIngestIT.PASSWORD;
import static io.camflow.ingest.it.RtspIngestIT.USER;
import static io.camflow.ingest.it.RtspIngestIT.camera;
import static io.camflow.ingest.it.RtspIngestIT.cameraYaml;
import static io.camflow.ingest.it.RtspIngestIT.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.TestCamera;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * What happens when cameras misbehave, against the real camera and broker: refused credentials, a
 * camera killed and restarted, on-demand pulls following viewer demand.
 */
class IngestFailureIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LOG = Path.of("target", "test-logs", "ingest.log");

  private static List<JsonNode> history(IngestFixture f, String stream) {
    return f.statusHistory(stream).stream()
        .map(
            s -> {
              try {
                return JSON.readTree(s);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  private static List<String> states(IngestFixture f, String stream) {
    return history(f, stream).stream().map(n -> n.get("state").asText()).toList();
  }

  @Test
  void aWrongPasswordIsReportedAsAuthFailedRetriedSlowlyAndNeverWrittenAnywhere() throws Exception {
    String wrong = "Wr0ng-9d81c3aa77";
    try (TestCamera cam = camera(TestCamera.Codec.H264, 320, 240).start();
        IngestFixture f =
            new IngestFixture(
                cameraYaml("authcam", cam, "tcp", "always"), Map.of("CAM_PASSWORD", wrong))) {
      await(
          () -> states(f, "authcam/main").stream().filter("auth-failed"::equals).count() >= 2,
          Duration.ofSeconds(20),
          () -> "states " + states(f, "authcam/main"));

      List<JsonNode> failed =
          history(f, "authcam/main").stream()
              .filter(n -> n.get("state").asText().equals("auth-failed"))
              .toList();
      JsonNode first = failed.get(0);
      assertTrue(first.get("lastError").asText().startsWith("auth-failed:"), first.toString());
      long firstWait = first.get("nextRetryAt").asLong() - first.get("updatedAt").asLong();
      assertTrue(
          firstWait >= 1_500,
          "auth retries use the slow schedule (authInitial 2s ±20 %): " + firstWait);
      JsonNode second = failed.get(1);
      long gap = second.get("updatedAt").asLong() - first.get("updatedAt").asLong();
      assertTrue(gap >= 1_500, "no retry before the auth backoff passed: " + gap);
      assertEquals(
          0, f.read("camflow.media.authcam.main", Duration.ofSeconds(1), l -> false).size());

      // the secret appears nowhere: status, records, logs
      for (String status : f.statusHistory("authcam/main")) {
        assertFalse(status.contains(wrong) || status.contains(PASSWORD), status);
      }
      f.context.stop();
      String logs = Files.readString(LOG, StandardCharsets.UTF_8);
      assertTrue(logs.contains("authcam/main"), "the log file is the one this test wrote to");
      assertFalse(logs.contains(wrong), "the password never reaches the logs");
      assertFalse(logs.contains(PASSWORD));
    }
  }

  @Test
  void aKilledCameraIsRetriedAndComesBackWithANewSession() throws Exception {
    try (TestCamera cam = camera(TestCamera.Codec.H264, 320, 240).start();
        IngestFixture f = fixture("killcam", cam, "tcp", "always")) {
      String topic = "camflow.media.killcam.main";
      List<ConsumerRecord<byte[], byte[]>> before =
          f.read(topic, Duration.ofSeconds(15), l -> l.size() >= GOP);
      String firstSession = header(before.get(0), MediaRecordFormat.SESSION);

      cam.kill();
      await(
          () -> states(f, "killcam/main").contains("offline"),
          Duration.ofSeconds(10),
          () -> "states " + states(f, "killcam/main"));
      Thread.sleep(1_000); // a few failed reconnects while the camera is away
      cam.restart();
      long restarted = System.currentTimeMillis();

      // backoff max is 2 s: the next attempt comes within ~2.4 s, the first keyframe shortly after
      List<ConsumerRecord<byte[], byte[]>> after =
          f.read(
              topic,
              Duration.ofSeconds(10),
              l ->
                  l.stream()
                      .anyMatch(r -> !firstSession.equals(header(r, MediaRecordFormat.SESSION))));
      ConsumerRecord<byte[], byte[]> firstNew =
          after.stream()
              .filter(r -> !firstSession.equals(header(r, MediaRecordFormat.SESSION)))
              .findFirst()
              .orElseThrow();
      long recoveredIn = firstNew.timestamp() - restarted;
      assertTrue(
          recoveredIn < 5_000,
          "records again within the backoff bound, took " + recoveredIn + " ms");
      assertEquals(
          "true",
          header(firstNew, MediaRecordFormat.KEYFRAME),
          "a new session starts on a keyframe");
      assertNotEquals(firstSession, header(firstNew, MediaRecordFormat.SESSION));
      List<String> states = states(f, "killcam/main");
      assertEquals("streaming", states.get(states.size() - 1), states.toString());
    }
  }

  @Test
  void aCameraThatStopsSendingIsDetectedByTheReadTimeoutAndResumes() throws Exception {
    try (TestCamera cam = camera(TestCamera.Codec.H264, 320, 240).start();
        IngestFixture f = fixture("stallcam", cam, "tcp", "always")) {
      String topic = "camflow.media.stallcam.main";
      List<ConsumerRecord<byte[], byte[]>> before =
          f.read(topic, Duration.ofSeconds(15), l -> l.size() >= GOP);
      String firstSession = header(before.get(0), MediaRecordFormat.SESSION);

      long paused = System.currentTimeMillis();
      cam.pause(); // the TCP connection stays open; nothing new arrives (readTimeout is 3 s)
      await(
          () ->
              history(f, "stallcam/main").stream()
                  .anyMatch(n -> n.get("lastError").asText().startsWith("timeout")),
          Duration.ofSeconds(15),
          () -> "states " + states(f, "stallcam/main"));
      JsonNode timedOut =
          history(f, "stallcam/main").stream()
              .filter(n -> n.get("lastError").asText().startsWith("timeout"))
              .findFirst()
              .orElseThrow();
      assertEquals("offline", timedOut.get("state").asText());
      // never before the read timeout; later by what socket buffers still held when the camera
      // froze
      long detectedAfter = timedOut.get("updatedAt").asLong() - paused;
      assertTrue(
          detectedAfter >= 3_000 && detectedAfter < 10_000,
          "a silent camera is noticed after the 3 s read timeout, took " + detectedAfter + " ms");

      cam.resume();
      List<ConsumerRecord<byte[], byte[]>> after =
          f.read(
              topic,
              Duration.ofSeconds(15),
              l ->
                  l.stream()
                      .anyMatch(r -> !firstSession.equals(header(r, MediaRecordFormat.SESSION))));
      assertTrue(
          after.stream().anyMatch(r -> !firstSession.equals(header(r, MediaRecordFormat.SESSION))),
          "records again, from a new connection");
    }
  }

  @Test
  void aCameraDownAtStartIsRetriedUntilItComes() throws Exception {
    int port = io.camflow.localprocess.FreePorts.find();
    TestCamera.Builder later = camera(TestCamera.Codec.H264, 320, 240).port(port);
    String yaml =
        """
        cameras:
          latecam:
            streams:
              main:
                url: rtsp://127.0.0.1:%d/main
                username: %s
                password: ${env:CAM_PASSWORD}
                mode: always
                backoff: {initial: 200ms, max: 1s}
        """
            .formatted(port, USER);
    try (IngestFixture f = new IngestFixture(yaml, Map.of("CAM_PASSWORD", PASSWORD))) {
      await(
          () -> states(f, "latecam/main").stream().filter("offline"::equals).count() >= 1,
          Duration.ofSeconds(10),
          () -> "states " + states(f, "latecam/main"));
      JsonNode failure =
          history(f, "latecam/main").stream()
              .filter(n -> n.get("state").asText().equals("offline"))
              .findFirst()
              .orElseThrow();
      assertTrue(
          failure.get("lastError").asText().startsWith("connect-failed"), failure.toString());
      try (TestCamera cam = later.start()) {
        List<ConsumerRecord<byte[], byte[]>> records =
            f.read("camflow.media.latecam.main", Duration.ofSeconds(10), l -> !l.isEmpty());
        assertFalse(
            records.isEmpty(),
            "the camera is picked up once it is there: " + states(f, "latecam/main"));
      }
    }
  }

  @Test
  void onDemandStartsWithTheFirstHeartbeatAndStopsAfterTheIdleGrace() throws Exception {
    try (TestCamera cam = camera(TestCamera.Codec.H264, 320, 240).start();
        IngestFixture f =
            new IngestFixture(
                cameraYaml("demandcam", cam, "tcp", "on-demand")
                    .replace("readTimeout: 3s", "readTimeout: 3s\n        idleGrace: 2s"),
                Map.of("CAM_PASSWORD", PASSWORD));
        KafkaProducer<String, String> viewers = f.demandProducer()) {
      String topic = "camflow.media.demandcam.main";
      await(
          () -> states(f, "demandcam/main").contains("idle"),
          Duration.ofSeconds(10),
          () -> "states " + states(f, "demandcam/main"));
      Thread.sleep(1_000);
      assertEquals(
          0,
          f.read(topic, Duration.ofMillis(500), l -> false).size(),
          "nobody watches: nothing pulled");

      // a viewer arrives: heartbeats every 500 ms, as delivery sends them, until it leaves
      long firstHeartbeat = System.currentTimeMillis();
      var viewer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      viewer.scheduleAtFixedRate(
          () -> IngestFixture.heartbeat(viewers, "demandcam/main"),
          0,
          500,
          java.util.concurrent.TimeUnit.MILLISECONDS);
      List<ConsumerRecord<byte[], byte[]>> records =
          f.read(topic, Duration.ofSeconds(10), l -> !l.isEmpty());
      assertFalse(records.isEmpty(), "a heartbeat starts the pull");
      JsonNode connecting =
          history(f, "demandcam/main").stream()
              .filter(n -> n.get("state").asText().equals("connecting"))
              .findFirst()
              .orElseThrow();
      long startedIn = connecting.get("since").asLong() - firstHeartbeat;
      assertTrue(
          startedIn < 1_000,
          "the pull starts within 1 s of the first heartbeat: " + startedIn + " ms");

      Thread.sleep(3_000); // watched for longer than the grace
      List<String> whileWatched = states(f, "demandcam/main");
      assertEquals(
          List.of("idle", "connecting", "streaming"),
          whileWatched.stream().distinct().toList(),
          "one pull for as long as the viewer watches: " + whileWatched);

      viewer.shutdownNow();
      viewer.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
      long lastHeartbeat = System.currentTimeMillis();
      await(
          () -> {
            List<String> s = states(f, "demandcam/main");
            return s.get(s.size() - 1).equals("idle");
          },
          Duration.ofSeconds(8),
          () -> "states " + states(f, "demandcam/main"));
      long stoppedAfter = System.currentTimeMillis() - lastHeartbeat;
      assertTrue(stoppedAfter >= 1_500, "not before the 2 s grace: " + stoppedAfter);
      int count = f.read(topic, Duration.ofSeconds(1), l -> false).size();
      Thread.sleep(1_000);
      assertEquals(
          count, f.read(topic, Duration.ofSeconds(1), l -> false).size(), "silence stops the pull");
    }
  }
}
