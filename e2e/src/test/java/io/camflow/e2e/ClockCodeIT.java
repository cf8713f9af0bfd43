package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.testsupport.TestCamera;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The clock code that the glass-latency benchmark reads ({@code GlassLatencyBenchmark}): a real
 * GStreamer camera draws it ({@code --clock-code}), Debian's FFmpeg decodes the RTSP stream, and
 * the benchmark's own decoder ({@code clock-code.mjs}, through {@code clock-code-check.mjs}) must
 * read the wall clock back from every frame — one frame interval apart, a little before now — even
 * from a noisy picture at a low bitrate; and must read nothing from a picture without the code, so
 * the benchmark cannot measure garbage.
 */
class ClockCodeIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyFrameCarriesTheWallClockWhenItWasMade() throws Exception {
    // snow at 250 kbit/s: the encoder is starved, the code's blocks (16 px cells) must still come
    // through
    try (TestCamera camera =
        TestCamera.builder()
            .size(640, 360)
            .fps(25)
            .bitrateKbps(250)
            .pattern("snow")
            .clockCode(true)
            .start()) {
      assertEveryFrameReadsTheClock(camera);
    }
  }

  @Test
  void theCodeGrowsWithThePicture() throws Exception {
    // the benchmark's size: 32 px cells
    try (TestCamera camera =
        TestCamera.builder()
            .size(1280, 720)
            .fps(25)
            .bitrateKbps(500)
            .pattern("snow")
            .clockCode(true)
            .start()) {
      assertEveryFrameReadsTheClock(camera);
    }
  }

  private static void assertEveryFrameReadsTheClock(TestCamera camera) throws Exception {
    JsonNode r = check(camera, 100);
    assertEquals(100, r.get("frames").asInt(), "frames from FFmpeg: " + r);
    assertEquals(100, r.get("decoded").asInt(), "every frame has a readable code: " + r);
    JsonNode step = r.get("stepMs");
    // 25 fps: 40 ms between frames; on a busy machine the camera draws a late frame and the next at
    // once
    assertTrue(
        step.get("p50").asInt() >= 36 && step.get("p50").asInt() <= 44,
        "step between frames: " + r);
    assertTrue(
        step.get("min").asInt() >= 0 && step.get("max").asInt() < 1000,
        "the clock only moves on: " + r);
    int span = r.get("spanMs").asInt();
    assertTrue(span >= 3500 && span <= 4500, "99 frame intervals, 3960 ms: " + r);
    JsonNode age = r.get("ageMs");
    // encoder, RTSP and FFmpeg's decoder take some ms; never a picture from the future, never
    // seconds old
    assertTrue(age.get("min").asInt() >= 0, "no picture is from the future: " + r);
    assertTrue(age.get("p50").asInt() < 1000, "pictures are fresh: " + r);
  }

  @Test
  void aPictureWithoutTheCodeGivesNoTime() throws Exception {
    // smpte: bright colour bars where the code would be
    try (TestCamera camera = TestCamera.builder().size(640, 360).fps(25).pattern("smpte").start()) {
      JsonNode r = check(camera, 50);
      assertEquals(50, r.get("frames").asInt(), "frames from FFmpeg: " + r);
      assertEquals(0, r.get("decoded").asInt(), "no code read: " + r);
    }
  }

  private static JsonNode check(TestCamera camera, int frames) throws Exception {
    Process node =
        new ProcessBuilder(
                "node",
                "src/test/js/clock-code-check.mjs",
                camera.url(),
                Integer.toString(camera.width()),
                Integer.toString(camera.height()),
                Integer.toString(frames))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    node.getOutputStream().close();
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(40, TimeUnit.SECONDS), "the check finishes");
    assertEquals(0, node.exitValue(), out);
    JsonNode r = JSON.readTree(out);
    assertEquals(0, r.get("ffmpegExit").asInt(), "FFmpeg read the stream: " + camera.stderr());
    return r;
  }
}
