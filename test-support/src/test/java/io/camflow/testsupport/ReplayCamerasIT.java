package io.camflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.testsupport.Ffprobe.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayCamerasIT {

  /**
   * A 2 s clip read for 6 s: the loop wraps twice; time goes on at 25 fps with a key frame every 2
   * s.
   */
  @Test
  void everyMountReplaysTheClipInRealTimeAcrossTheLoop() throws Exception {
    try (ReplayCameras cameras =
        ReplayCameras.start(new ReplayCameras.Settings(3, 320, 180, 25, 50, 256, 2))) {
      assertTrue(cameras.url(1).matches("rtsp://127\\.0\\.0\\.1:\\d+/s1"), cameras.url(1));
      assertEquals(List.of(cameras.url(1), cameras.url(2), cameras.url(3)), cameras.urls());
      assertTrue(
          cameras.clipKbps() > 128 && cameras.clipKbps() < 512, "clip kbps " + cameras.clipKbps());
      StreamInfo video =
          Ffprobe.video(Ffprobe.probeRtsp(cameras.url(3), "tcp", null, null)).orElseThrow();
      assertEquals("h264", video.codecName());
      assertEquals(320, video.width());
      assertEquals(180, video.height());

      long start = System.nanoTime();
      CompletableFuture<List<String>> first = packets(cameras.url(1));
      CompletableFuture<List<String>> last = packets(cameras.url(3));
      for (List<String> packets :
          List.of(first.get(30, TimeUnit.SECONDS), last.get(30, TimeUnit.SECONDS))) {
        assertPacedFrames(packets);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // 6 s of media took at least ~6 s: paced by the clock, not read as fast as the CPU allows
      assertTrue(seconds > 5.0, "6 s of media arrived in " + seconds + " s");
    }
  }

  @Test
  void unknownMountIsRefused() {
    try (ReplayCameras cameras =
        ReplayCameras.start(new ReplayCameras.Settings(2, 160, 96, 25, 25, 64, 1))) {
      assertThrows(IllegalArgumentException.class, () -> cameras.url(3));
      Ffprobe.FfprobeException e =
          assertThrows(
              Ffprobe.FfprobeException.class,
              () -> Ffprobe.probeRtsp(cameras.url(1).replace("/s1", "/s3"), "tcp", null, null));
      assertTrue(e.stderr().contains("404"), e.getMessage());
    }
  }

  /** Frame timestamps 40 ms apart with no gap or jump, key frames exactly every 2 s. */
  private static void assertPacedFrames(List<String> packets) {
    List<double[]> frames = new ArrayList<>(); // pts, key
    for (String line : packets) {
      String[] f = line.split(",");
      if (f.length >= 3 && f[0].equals("packet") && !f[1].equals("N/A")) {
        double pts = Double.parseDouble(f[1]);
        if (frames.isEmpty()
            || pts > frames.get(frames.size() - 1)[0]) { // side data repeats a packet
          frames.add(new double[] {pts, f[2].startsWith("K") ? 1 : 0});
        }
      }
    }
    assertTrue(frames.size() >= 145 && frames.size() <= 155, "frames in 6 s: " + frames.size());
    int firstKey = 0;
    while (firstKey < frames.size() && frames.get(firstKey)[1] == 0) {
      firstKey++; // a client joining the shared media may start inside a GOP
    }
    int keys = 0;
    for (int i = 1; i < frames.size(); i++) {
      assertEquals(0.040, frames.get(i)[0] - frames.get(i - 1)[0], 0.002, "frame " + i);
    }
    for (int i = firstKey; i < frames.size(); i++) {
      boolean key = frames.get(i)[1] == 1;
      double sinceKey = frames.get(i)[0] - frames.get(firstKey)[0];
      assertEquals(
          Math.abs(sinceKey / 2.0 - Math.round(sinceKey / 2.0)) < 0.01,
          key,
          "key frame flag at " + sinceKey + " s after the first");
      keys += key ? 1 : 0;
    }
    assertTrue(keys >= 3, "key frames: " + keys);
  }

  /** ffprobe's packets (pts, flags) of the first 6 s of media. */
  private static CompletableFuture<List<String>> packets(String url) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Process p =
                new ProcessBuilder(
                        Ffprobe.FFPROBE.toString(),
                        "-v",
                        "error",
                        "-rtsp_transport",
                        "tcp",
                        "-read_intervals",
                        "%+6",
                        "-select_streams",
                        "v",
                        "-show_entries",
                        "packet=pts_time,flags",
                        "-of",
                        "csv",
                        url)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
              throw new IllegalStateException("ffprobe failed on " + url);
            }
            return out.lines().toList();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
