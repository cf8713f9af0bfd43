package io.camflow.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent reader: FFmpeg's HLS demuxer (an HLS client without LL-HLS support) reads a
 * playlist rendered by {@link PlaylistWindow} over real fMP4 media, across a discontinuity with a
 * new EXT-X-MAP. The media are 0.2 s fMP4 fragments made by ffmpeg (each a part; five concatenated
 * make a 1 s segment). Skipped where ffmpeg/ffprobe are not installed.
 */
class FfprobeInteropTest {

  private static final String FFMPEG = "/usr/bin/ffmpeg";
  private static final String FFPROBE = "/usr/bin/ffprobe";

  @TempDir static Path work;

  @BeforeAll
  static void makeFragments() throws Exception {
    // ./camflow test installs FFmpeg; a missing reader fails the test rather than skipping it
    assertTrue(
        Files.isExecutable(Path.of(FFMPEG)) && Files.isExecutable(Path.of(FFPROBE)),
        "ffmpeg/ffprobe not installed (./camflow test installs Debian's ffmpeg)");
    Path src = Files.createDirectories(work.resolve("src"));
    Result r =
        run(
            src,
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=25",
            "-t",
            "3",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "5",
            "-keyint_min",
            "5",
            "-sc_threshold",
            "0",
            "-bf",
            "0",
            "-f",
            "hls",
            "-hls_time",
            "0.2",
            "-hls_playlist_type",
            "vod",
            "-hls_segment_type",
            "fmp4",
            "-hls_fmp4_init_filename",
            "init.mp4",
            "-hls_segment_filename",
            "f%d.m4s",
            "out.m3u8");
    assertTrue(
        r.exit() == 0 && Files.exists(src.resolve("f14.m4s")),
        "ffmpeg could not make test media: " + r.err());
  }

  /**
   * Two source sessions of three 1 s segments (five 0.2 s parts each), the second after an
   * EXT-X-DISCONTINUITY with its own init segment, laid out under our names.
   */
  private static PlaylistWindow layOut(Path dir) throws IOException {
    Path src = work.resolve("src");
    PlaylistWindow window = new PlaylistWindow(Duration.ofMillis(200), Duration.ofSeconds(1), 7);
    Instant time = Instant.parse("2026-05-13T10:15:30.040Z");
    long msn = 0;
    for (int session = 0; session < 2; session++) {
      Files.copy(src.resolve("init.mp4"), dir.resolve(HlsNames.init(session)));
      for (int s = 0; s < 3; s++, msn++) {
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        for (int p = 0; p < 5; p++) {
          byte[] part = Files.readAllBytes(src.resolve("f" + (s * 5 + p) + ".m4s"));
          Files.write(dir.resolve(HlsNames.part(msn, p)), part);
          segment.write(part);
          assertTrue(window.addPart(msn, p, 0.2, true, time, session));
          time = time.plusMillis(200);
        }
        Files.write(dir.resolve(HlsNames.segment(msn)), segment.toByteArray());
        assertTrue(window.completeSegment(msn, 1.0));
      }
    }
    return window;
  }

  @Test
  void ffprobeReadsEverySegmentAcrossTheDiscontinuity() throws Exception {
    Path dir = Files.createDirectories(work.resolve("ended"));
    PlaylistWindow window = layOut(dir);
    window.end();
    String text = window.snapshot().orElseThrow().render();
    PlaylistChecker.check(text);
    assertTrue(text.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"\n"));
    Files.writeString(dir.resolve(HlsNames.PLAYLIST), text);

    Result r =
        run(
            dir,
            FFPROBE,
            "-v",
            "error",
            "-count_packets",
            "-show_entries",
            "stream=codec_name,width,height,nb_read_packets",
            "-of",
            "default=nw=1",
            HlsNames.PLAYLIST);
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err().strip(), "ffprobe reports no error");
    assertTrue(r.out().contains("codec_name=h264"), r.out());
    assertTrue(r.out().contains("width=160"), r.out());
    // 6 segments x 25 frames: every segment URI was followed, both sessions
    assertTrue(r.out().contains("nb_read_packets=150"), r.out());
  }

  @Test
  void ffprobeOpensTheLivePlaylistWithPartsAndAPreloadHint() throws Exception {
    Path dir = Files.createDirectories(work.resolve("live"));
    PlaylistWindow window = layOut(dir);
    Path src = work.resolve("src");
    // segment 6 in progress: two parts published, the third hinted
    for (int p = 0; p < 2; p++) {
      Files.copy(src.resolve("f" + p + ".m4s"), dir.resolve(HlsNames.part(6, p)));
      window.addPart(6, p, 0.2, true, Instant.parse("2026-05-13T10:15:36.040Z"), 1);
    }
    String text = window.snapshot().orElseThrow().render();
    PlaylistChecker.Parsed parsed = PlaylistChecker.check(text);
    assertEquals("part-6.2.m4s", parsed.preloadHint());
    Files.writeString(dir.resolve(HlsNames.PLAYLIST), text);

    Result r =
        run(
            dir,
            FFPROBE,
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,width,height",
            "-of",
            "default=nw=1",
            HlsNames.PLAYLIST);
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err().strip(), "ffprobe reports no error");
    assertTrue(r.out().contains("codec_name=h264"), r.out());
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(Path dir, String... command) throws Exception {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    var out = process.getInputStream();
    var err = process.getErrorStream();
    var outText = new java.util.concurrent.CompletableFuture<String>();
    var errText = new java.util.concurrent.CompletableFuture<String>();
    Thread.ofVirtual().start(() -> outText.complete(read(out)));
    Thread.ofVirtual().start(() -> errText.complete(read(err)));
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command[0] + " did not finish in 30 s");
    }
    return new Result(
        process.exitValue(), outText.get(5, TimeUnit.SECONDS), errText.get(5, TimeUnit.SECONDS));
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "<" + e + ">";
    }
  }
}
