package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's FFmpeg as the independent H.265 decoder of what a WebRTC receiver reassembled. */
public final class FfmpegH265 {

  private FfmpegH265() {}

  /** Decodes an Annex-B H.265 stream, failing on any decoding error; the number of pictures. */
  public static long decodedPictures(byte[] annexB) throws Exception {
    Path file = Files.createTempFile("camflow-rtp-h265", ".h265");
    try {
      Files.write(file, annexB);
      Process ffmpeg =
          new ProcessBuilder(
                  "/usr/bin/ffmpeg",
                  "-v",
                  "error",
                  "-xerror",
                  "-f",
                  "hevc",
                  "-i",
                  file.toString(),
                  "-f",
                  "framemd5",
                  "-")
              .redirectErrorStream(true)
              .start();
      String out = new String(ffmpeg.getInputStream().readAllBytes());
      assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "ffmpeg finishes");
      assertEquals(0, ffmpeg.exitValue(), out);
      return out.lines().filter(l -> !l.startsWith("#")).count();
    } finally {
      Files.delete(file);
    }
  }
}
