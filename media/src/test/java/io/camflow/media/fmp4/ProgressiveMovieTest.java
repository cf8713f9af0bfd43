package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A progressive MP4 made of fixture samples, read back by FFmpeg: moov before mdat, every sample
 * where the tables say (same count, sizes, MD5, keyframes, timestamps), video and audio interleaved
 * in chunks, and an edit list that starts presentation between keyframes: the frames before it are
 * decoded and not shown.
 */
class ProgressiveMovieTest {

  @TempDir Path dir;

  @Test
  void ffmpegFindsEverySampleOfBothTracksMoovFirst() {
    Fixtures.Track video = Fixtures.video("h264_bframes.mp4", Codec.H264, 1, 1000);
    Fixtures.Track audio = Fixtures.aac("aac_48k_mono.m4a", 2, 1000);
    List<Sample> v = Fixtures.samples(video.accessUnits());
    List<Sample> a = Fixtures.samples(audio.accessUnits());
    byte[] init = InitSegment.write(List.of(video.format(), audio.format()));
    ProgressiveMovie.Builder b = ProgressiveMovie.builder(init);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    interleave(b, data, video.accessUnits(), v, audio.accessUnits(), a);
    ProgressiveMovie movie = b.build();
    Path file = write(movie, data.toByteArray());

    assertEquals(movie.length(), file.toFile().length());
    List<Mp4Boxes.Box> top = Mp4Boxes.parse(readAll(file));
    assertEquals(
        List.of("ftyp", "moov", "mdat"),
        top.stream().map(Mp4Boxes.Box::type).toList(),
        "moov before mdat");

    Ffmpeg.Probe probe = Ffmpeg.probe(file, true);
    List<Ffmpeg.Packet> vp = probe.packetsOf(0);
    List<Ffmpeg.Packet> ap = probe.packetsOf(1);
    assertAll(
        () -> assertEquals(v.size(), probe.streams().get(0).readFrames(), "video frames decoded"),
        () -> assertEquals(v.size(), vp.size()),
        () -> assertEquals(a.size(), ap.size()),
        () -> assertEquals(md5s(v), vp.stream().map(Ffmpeg.Packet::dataHash).toList()),
        () -> assertEquals(md5s(a), ap.stream().map(Ffmpeg.Packet::dataHash).toList()),
        () ->
            assertEquals(
                v.stream().map(Sample::sync).toList(),
                vp.stream().map(Ffmpeg.Packet::keyframe).toList(),
                "keyframes from stss"));
    // B-frames: presentation order differs from decode order; pts from ctts, dts from stts
    assertEquals(90_000, timebase(probe, 0));
    AccessUnit first = video.accessUnits().get(0);
    for (int i = 0; i < v.size(); i++) {
      AccessUnit au = video.accessUnits().get(i);
      assertEquals(au.pts() - first.pts(), vp.get(i).pts() - vp.get(0).pts(), "pts of " + i);
      assertEquals(au.dts() - first.dts(), vp.get(i).dts() - vp.get(0).dts(), "dts of " + i);
    }
    assertEquals(0, vp.stream().mapToLong(Ffmpeg.Packet::pts).min().orElseThrow(), "starts at 0");
  }

  @Test
  void anEditListStartsPresentationBetweenKeyframes() {
    Fixtures.Track video = Fixtures.video("h264_baseline.mp4", Codec.H264, 1, 1000);
    List<Sample> v = Fixtures.samples(video.accessUnits());
    byte[] init = InitSegment.write(List.of(video.format()));
    ProgressiveMovie.Builder b = ProgressiveMovie.builder(init);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Sample s : v) {
      b.add(1, s.duration(), s.data().length, s.sync(), s.compositionOffset());
      data.writeBytes(s.data());
    }
    // 15 fps, GOP 5: start at frame 7 (two frames after the keyframe at 5)
    long frame = v.get(0).duration();
    long total = (long) v.size() * frame;
    b.edit(1, 7 * frame, (total - 7 * frame) * 1000 / 90_000);
    Path file = write(b.build(), data.toByteArray());

    Ffmpeg.Result frames =
        Ffmpeg.run(
            List.of(
                Ffmpeg.FFMPEG.toString(),
                "-v",
                "error",
                "-i",
                file.toString(),
                "-f",
                "framemd5",
                "-"));
    assertEquals(0, frames.exitCode(), frames.stderr());
    List<String> shown =
        frames.stdout().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    assertEquals(v.size() - 7, shown.size(), "frames shown: all but the 7 before the edit");
    assertTrue(shown.get(0).split(",")[2].strip().equals("0"), "the first shown at 0: " + shown);
  }

  @Test
  void aGapHeldByTheLastSampleKeepsTheClock() {
    Fixtures.Track video = Fixtures.video("h264_baseline.mp4", Codec.H264, 1, 1000);
    List<Sample> v = Fixtures.samples(video.accessUnits());
    ProgressiveMovie.Builder b =
        ProgressiveMovie.builder(InitSegment.write(List.of(video.format())));
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (int i = 0; i < v.size(); i++) {
      Sample s = v.get(i);
      b.add(1, s.duration(), s.data().length, s.sync(), 0);
      data.writeBytes(s.data());
      if (i == 4) {
        b.extendLast(1, 90_000); // a second without pictures after the first GOP
      }
    }
    Path file = write(b.build(), data.toByteArray());
    List<Ffmpeg.Packet> p = Ffmpeg.probe(file, false).packetsOf(0);
    long step = p.get(6).pts() - p.get(5).pts();
    assertEquals(step + 90_000, p.get(5).pts() - p.get(4).pts(), "frame 4 lasts a second more");
  }

  @Test
  void badInputIsRefusedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> ProgressiveMovie.builder(new byte[] {1, 2}));
    Fixtures.Track video = Fixtures.video("h264_baseline.mp4", Codec.H264, 1, 1000);
    ProgressiveMovie.Builder b =
        ProgressiveMovie.builder(InitSegment.write(List.of(video.format())));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.add(7, 10, 10, true, 0));
    assertTrue(e.getMessage().contains("track 7"), e.getMessage());
    assertThrows(IllegalArgumentException.class, b::build, "no sample");
  }

  private static void interleave(
      ProgressiveMovie.Builder b,
      ByteArrayOutputStream data,
      List<AccessUnit> videoUnits,
      List<Sample> v,
      List<AccessUnit> audioUnits,
      List<Sample> a) {
    int ai = 0;
    for (int vi = 0; vi < v.size(); vi++) {
      Sample s = v.get(vi);
      b.add(1, s.duration(), s.data().length, s.sync(), s.compositionOffset());
      data.writeBytes(s.data());
      double t = videoUnits.get(vi).dts() / 90_000.0;
      while (ai < a.size() && audioUnits.get(ai).dts() / 48_000.0 <= t) {
        Sample as = a.get(ai++);
        b.add(2, as.duration(), as.data().length, true, 0);
        data.writeBytes(as.data());
      }
    }
    while (ai < a.size()) {
      Sample as = a.get(ai++);
      b.add(2, as.duration(), as.data().length, true, 0);
      data.writeBytes(as.data());
    }
  }

  private static long timebase(Ffmpeg.Probe probe, int stream) {
    return probe.streams().get(stream).timeBaseDenominator();
  }

  private Path write(ProgressiveMovie movie, byte[] data) {
    assertEquals(movie.dataLength(), data.length);
    Path file = dir.resolve("clip.mp4");
    try {
      byte[] all = new byte[(int) movie.length()];
      movie.copyHeader(0, all, 0, movie.headerLength());
      System.arraycopy(data, 0, all, movie.headerLength(), data.length);
      Files.write(file, all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> md5s(List<Sample> samples) {
    return samples.stream().map(s -> "MD5:" + md5(s.data())).toList();
  }

  private static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
