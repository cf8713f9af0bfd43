package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyframesOnlyTest {

  private static final int VIDEO = 1;
  private static final int AUDIO = 2;

  /** A 2 s segment as the packager writes it: one fragment per access unit, video and audio. */
  private static byte[] segment(long videoStart, long audioStart) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int seq = 0;
    for (int i = 0; i < 50; i++) {
      byte[] picture = new byte[i == 0 ? 900 : 100 + i];
      Arrays.fill(picture, (byte) i);
      out.writeBytes(
          Fragment.write(
              ++seq,
              List.of(
                  new TrackRun(
                      VIDEO,
                      videoStart + i * 3600L,
                      List.of(new Sample(picture, 3600, i % 3 == 1 ? 7200 : 0, i == 0))))));
      if (i % 2 == 0) {
        byte[] sound = new byte[40];
        Arrays.fill(sound, (byte) (100 + i));
        out.writeBytes(
            Fragment.write(
                ++seq,
                List.of(
                    new TrackRun(
                        AUDIO,
                        audioStart + (i / 2) * 1920L,
                        List.of(new Sample(sound, 1920, 0, true))))));
      }
    }
    return out.toByteArray();
  }

  @Test
  void theVideoIsItsKeyframeHeldForTheSegment_theAudioAsItIs() {
    byte[] segment = segment(900_000, 480_000);
    byte[] reduced = KeyframesOnly.of(segment, VIDEO);
    assertTrue(reduced.length < segment.length / 2, reduced.length + " of " + segment.length);

    List<FragmentReader.SampleRef> before = FragmentReader.read(segment);
    List<FragmentReader.SampleRef> after = FragmentReader.read(reduced);
    List<FragmentReader.SampleRef> video = of(after, VIDEO);
    assertEquals(1, video.size());
    FragmentReader.SampleRef key = video.get(0);
    assertEquals(900_000, key.decodeTime());
    assertEquals(50 * 3600, key.duration(), "held for the 2 s of the segment");
    assertTrue(key.sync());
    assertEquals(0, key.compositionOffset());
    FragmentReader.SampleRef original = of(before, VIDEO).get(0);
    assertArrayEquals(bytes(segment, original), bytes(reduced, key));

    List<FragmentReader.SampleRef> soundBefore = of(before, AUDIO);
    List<FragmentReader.SampleRef> soundAfter = of(after, AUDIO);
    assertEquals(soundBefore.size(), soundAfter.size());
    for (int i = 0; i < soundBefore.size(); i++) {
      assertEquals(soundBefore.get(i).decodeTime(), soundAfter.get(i).decodeTime());
      assertEquals(soundBefore.get(i).duration(), soundAfter.get(i).duration());
      assertArrayEquals(bytes(segment, soundBefore.get(i)), bytes(reduced, soundAfter.get(i)));
    }
  }

  @Test
  void aSegmentWithoutTheVideoTrackOrAKeyframeIsLeftAsItIs() {
    byte[] segment = segment(0, 0);
    assertSame(segment, KeyframesOnly.of(segment, 9));
    byte[] noKey =
        Fragment.write(
            1, List.of(new TrackRun(VIDEO, 0, List.of(new Sample(new byte[10], 3600, 0, false)))));
    assertSame(noKey, KeyframesOnly.of(noKey, VIDEO));
  }

  @Test
  void ffprobeDecodesTheReducedSegmentOfARealStreamAsOnePicture(@TempDir Path dir)
      throws Exception {
    Fixtures.Track video = Fixtures.video("h264_baseline.mp4", Codec.H264, 1, 1000);
    byte[] init = InitSegment.write(List.of(video.format()));
    List<AccessUnit> units = video.accessUnits();
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    long total = 0;
    for (int i = 0; i < units.size(); i++) {
      AccessUnit au = units.get(i);
      if (i > 0 && au.keyframe()) {
        break; // one GOP: a segment
      }
      int duration = (int) (i + 1 < units.size() ? units.get(i + 1).dts() - au.dts() : 3600);
      total += duration;
      segment.writeBytes(
          Fragment.write(
              i + 1,
              List.of(new TrackRun(1, au.dts(), List.of(Sample.fromAccessUnit(au, duration))))));
    }
    byte[] reduced = KeyframesOnly.of(segment.toByteArray(), 1);
    List<FragmentReader.SampleRef> samples = FragmentReader.read(reduced);
    assertEquals(1, samples.size());
    assertEquals(total, samples.get(0).duration());

    Path file = dir.resolve("reduced.mp4");
    Files.write(file, concat(init, reduced));
    Ffmpeg.assertDecodesWithoutError(file);
    assertEquals(1, Ffmpeg.probe(file, true).streams().get(0).readFrames());
  }

  private static List<FragmentReader.SampleRef> of(List<FragmentReader.SampleRef> all, int track) {
    List<FragmentReader.SampleRef> out = new ArrayList<>();
    for (FragmentReader.SampleRef s : all) {
      if (s.trackId() == track) {
        out.add(s);
      }
    }
    return out;
  }

  private static byte[] bytes(byte[] data, FragmentReader.SampleRef s) {
    return Arrays.copyOfRange(data, s.dataOffset(), s.dataOffset() + s.size());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
