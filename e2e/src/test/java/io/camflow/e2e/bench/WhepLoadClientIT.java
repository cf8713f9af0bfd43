package io.camflow.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.sessions.Protocol;
import io.camflow.kafka.LocalKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WHEP load client against the real live path (GStreamer camera, local Kafka, ingest, packager,
 * delivery with WebRTC on): it gets every frame of the stream without loss, starts at a keyframe,
 * keeps consent, and its DELETE ends the server's session.
 */
class WhepLoadClientIT {

  static MsePipeline pipeline;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Video access units of the stream so far: what a viewer that keeps up gets. */
  static final AtomicLong FRAMES = new AtomicLong();

  @BeforeAll
  static void start() throws Exception {
    pipeline = new MsePipeline(640, 360, 50, 1000, 10, true);
    MseBenchmark.warm(pipeline);
    Thread counter =
        new Thread(
            () -> WhepFanoutBenchmark.countFrames(LocalKafka.shared().bootstrapServers(), FRAMES),
            "it-frames");
    counter.setDaemon(true);
    counter.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void twoViewersGetEveryFrameForFiveSeconds() throws Exception {
    WhepLoadClient a = WhepLoadClient.open(HTTP, URI.create(pipeline.whepUrl()), null, true);
    WhepLoadClient b = WhepLoadClient.open(HTTP, URI.create(pipeline.whepUrl()), null, true);
    try {
      for (WhepLoadClient c : List.of(a, b)) {
        assertTrue(
            c.awaitKeyframe(Duration.ofSeconds(10)), "a keyframe within 10 s: " + c.counts());
        assertTrue(
            c.startedAtKeyframe(), "the picture starts at the GOP cache's keyframe " + c.counts());
      }
      Thread.sleep(1_000); // past the GOP burst of the start
      WhepLoadClient.Counts a0 = a.counts();
      WhepLoadClient.Counts b0 = b.counts();
      long stream0 = FRAMES.get();
      Thread.sleep(5_000);
      long stream = FRAMES.get() - stream0;
      assertTrue(stream >= 100, "the camera sends 25 fps: " + stream + " frames in 5 s");
      for (WhepLoadClient.Counts[] c :
          new WhepLoadClient.Counts[][] {{a0, a.counts()}, {b0, b.counts()}}) {
        long frames = c[1].frames() - c[0].frames();
        // every frame the stream had; the counts are read a moment apart, so a few may fall on
        // either side
        assertTrue(
            Math.abs(frames - stream) <= 5,
            "frames in 5 s: " + frames + ", the stream had " + stream + " " + c[1]);
        assertTrue(
            c[1].keyframes() - c[0].keyframes() >= 2,
            "GOP 50 at 25 fps: a keyframe every 2 s " + c[1]);
        assertEquals(0, c[1].lost(), "no packet lost on loopback " + c[1]);
        assertEquals(0, c[1].rejected(), "every SRTP packet authenticates " + c[1]);
        assertTrue(c[1].consentAnswers() >= 2, "consent checks are answered " + c[1]);
      }
      assertEquals(2, pipeline.delivery.sessions().count(Protocol.WEBRTC));
    } finally {
      a.close();
      b.close();
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (pipeline.delivery.sessions().count(Protocol.WEBRTC) > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(
        0, pipeline.delivery.sessions().count(Protocol.WEBRTC), "DELETE ended the sessions");
  }

  @Test
  void aRefusedOfferSaysWhy() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                WhepLoadClient.open(
                    HTTP,
                    URI.create(pipeline.whepUrl().replace("/bench/", "/nosuchcamera/")),
                    null,
                    true));
    assertTrue(e.getMessage().startsWith("WHEP offer answered 404"), e.getMessage());
  }
}
