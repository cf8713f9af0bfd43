package io.camflow.packager.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.testsupport.DecodedAudio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * G.711 made by Debian's FFmpeg from a 440 Hz sine at 0.2 (a test camera's tone) through the
 * transcoder, the AAC played back by FFmpeg's AAC decoder: the same tone, level and length, on the
 * G.711's time line, whatever the record size, across holes, and resumed on the same grid.
 */
class G711ToAacTest {

  static final double LEVEL = 0.2 / Math.sqrt(2); // rms of the camera's sine

  /**
   * A hole (lost sound) takes a 10 ms window towards silence; AAC's own wobble stays within ±10 %.
   */
  static final double HOLE = LEVEL * 0.6;

  /**
   * How far the sound stands above its difference from the camera's sine, in dB, from {@code
   * fromSecond} on: the sine is taken to start at the first sample, so the sound must also be in
   * its place to the sample (one sample early or late alone would make it 25 dB).
   */
  static double snrDb(DecodedAudio heard, double fromSecond, double toSecond) {
    double signal = 0;
    double noise = 0;
    for (int i = (int) (fromSecond * 48_000); i < (int) (toSecond * 48_000); i++) {
      double sine = 0.2 * Math.sin(2 * Math.PI * 440 * i / 48_000.0);
      signal += sine * sine;
      noise += (heard.samples()[i] - sine) * (heard.samples()[i] - sine);
    }
    return 10 * Math.log10(signal / noise);
  }

  static List<AccessUnit> transcode(G711ToAac t, List<AccessUnit> records) {
    List<AccessUnit> out = new ArrayList<>();
    for (AccessUnit r : records) {
      out.addAll(t.transcode(r));
    }
    return out;
  }

  static void assertContiguous(List<AccessUnit> frames, long firstPts) {
    assertEquals(
        firstPts, frames.getFirst().pts(), "the first frame starts where the G.711 did, at 48 kHz");
    for (int i = 1; i < frames.size(); i++) {
      assertEquals(
          1024,
          frames.get(i).pts() - frames.get(i - 1).pts(),
          "frame " + i + " follows frame " + (i - 1));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Codec.class,
      names = {"PCMA", "PCMU"})
  void theCamerasToneComesOutAsAacOfTheSameToneLevelAndLength(Codec codec) {
    List<AccessUnit> g711 =
        G711Tone.records(codec, G711Tone.codes(codec, 440, 0.2, 5.0), 160, 123_456);
    List<AccessUnit> aac;
    try (G711ToAac t = new G711ToAac()) {
      aac = transcode(t, g711);
      assertEquals(0, t.filledSamples() + t.cutSamples(), "no holes, no overlaps");
    }
    assertContiguous(aac, 123_456L * 6);
    // all but the last three frames' worth (the encoder's look-ahead, the resampler's few samples)
    assertEquals(
        5.0 - 3 * 1024 / 48_000.0,
        aac.size() * 1024 / 48_000.0,
        1024 / 48_000.0,
        "frames: " + aac.size());
    aac.forEach(
        f -> {
          assertEquals(48_000, f.timebase());
          assertArrayEquals(
              new byte[] {0x11, (byte) 0x88},
              java.util.Arrays.copyOf(f.codecConfig(), 2),
              "AAC-LC, 48 kHz, mono");
        });
    DecodedAudio heard = AacPlayback.of(aac);
    System.out.printf(
        "%s 5 s -> %d AAC frames (%d bytes), played back %.3f s: rms %.4f, %.2f Hz, quietest 10 ms %.4f,"
            + " %.1f dB above the difference from the sine%n",
        codec,
        aac.size(),
        aac.stream().mapToInt(f -> f.data().length).sum(),
        heard.seconds(),
        heard.rms(0.1, 4.8),
        heard.hz(0.1, 4.8),
        heard.quietest10Ms(0.05, 4.9),
        snrDb(heard, 0.1, 4.9));
    assertEquals(48_000, heard.sampleRate());
    assertEquals(
        aac.size() * 1024 / 48_000.0, heard.seconds(), 1e-9, "1024 samples from every frame");
    assertEquals(LEVEL, heard.rms(0.1, 4.8), LEVEL * 0.05, "the camera's level");
    assertEquals(440, heard.hz(0.1, 4.8), 0.5, "the camera's frequency");
    assertTrue(
        heard.quietest10Ms(0.01, 4.94) > HOLE,
        "no hole anywhere: " + heard.quietest10Ms(0.01, 4.94));
    assertTrue(
        snrDb(heard, 0.1, 4.9) > 28,
        "the sine itself, to the sample: " + snrDb(heard, 0.1, 4.9) + " dB");
  }

  @Test
  void theSoundKeepsItsPlaceOnTheTimeLine() {
    // silence, then the tone from 1.000 s: heard at 1.000 s after the first frame's pts, so beside
    // its picture
    List<AccessUnit> g711 =
        G711Tone.records(
            Codec.PCMA, G711Tone.codesWithOnset(Codec.PCMA, 440, 0.2, 1.0, 3.0), 160, 80_000);
    List<AccessUnit> aac;
    try (G711ToAac t = new G711ToAac()) {
      aac = transcode(t, g711);
    }
    assertContiguous(aac, 480_000);
    double onset = AacPlayback.of(aac).onsetSeconds(0.05);
    System.out.printf("onset heard at %.5f s (sent at 1.00000 s)%n", onset);
    assertEquals(1.0, onset, 0.002, "the tone starts where it started in the G.711");
  }

  @Test
  void aLostPacketBecomesSilenceInItsPlaceAndARepeatedOneIsCut() {
    byte[] codes = G711Tone.codes(Codec.PCMU, 440, 0.2, 4.0);
    List<AccessUnit> g711 = G711Tone.records(Codec.PCMU, codes, 160, 0);
    List<AccessUnit> damaged = new ArrayList<>(g711);
    damaged.remove(100); // 2.000..2.020 s lost
    damaged.add(150, g711.get(150)); // 3.000..3.020 s twice (the second one a repeat)
    List<AccessUnit> aac;
    try (G711ToAac t = new G711ToAac()) {
      aac = transcode(t, damaged);
      assertEquals(160, t.filledSamples(), "the lost 20 ms filled");
      assertEquals(160, t.cutSamples(), "the repeated 20 ms cut");
    }
    assertContiguous(aac, 0);
    DecodedAudio heard = AacPlayback.of(aac);
    assertTrue(heard.quietest10Ms(1.99, 2.03) < LEVEL * 0.2, "silence where the packet was lost");
    assertTrue(heard.quietest10Ms(0.01, 1.98) > HOLE, "the tone before");
    assertTrue(heard.quietest10Ms(2.04, 3.9) > HOLE, "and after, the repeat not heard as a hole");
    assertEquals(440, heard.hz(2.1, 3.9), 0.5, "in tune after the hole");
    // the same tone after the hole lies where the camera put it: in phase with an undamaged run
    List<AccessUnit> clean;
    try (G711ToAac t = new G711ToAac()) {
      clean = transcode(t, g711);
    }
    assertEquals(clean.size(), aac.size(), "as many frames as without the damage");
    assertTrue(
        snrDb(heard, 2.1, 2.95) > 28,
        "after the hole the sound is where it belongs: " + snrDb(heard, 2.1, 2.95));
    assertTrue(snrDb(heard, 3.1, 3.9) > 28, "and after the repeat: " + snrDb(heard, 3.1, 3.9));
  }

  @Test
  void aLongGapStartsANewTimeLineOnTheNextRecord() {
    List<AccessUnit> g711 =
        G711Tone.records(Codec.PCMA, G711Tone.codes(Codec.PCMA, 440, 0.2, 4.0), 160, 0);
    List<AccessUnit> gapped = new ArrayList<>(g711.subList(0, 100));
    gapped.addAll(g711.subList(150, g711.size())); // a second lost
    List<AccessUnit> aac;
    try (G711ToAac t = new G711ToAac()) {
      aac = transcode(t, gapped);
      assertEquals(0, t.filledSamples(), "a second is not filled with silence");
    }
    int jumps = 0;
    for (int i = 1; i < aac.size(); i++) {
      long step = aac.get(i).pts() - aac.get(i - 1).pts();
      if (step != 1024) {
        jumps++;
        assertEquals(
            150 * 160 * 6,
            aac.get(i).pts(),
            "the new time line starts at the record after the gap");
      }
    }
    assertEquals(1, jumps);
    DecodedAudio after =
        AacPlayback.of(aac.stream().filter(f -> f.pts() >= 150 * 160 * 6).toList());
    assertTrue(
        snrDb(after, 0.1, 0.9) > 28,
        "the sine again after the gap, from its new start: " + snrDb(after, 0.1, 0.9));
  }

  @Test
  void theFramesDoNotDependOnHowTheCameraCutItsPackets() {
    byte[] codes = G711Tone.codes(Codec.PCMA, 440, 0.2, 3.0);
    List<AccessUnit> by20ms;
    List<AccessUnit> by128ms;
    try (G711ToAac t = new G711ToAac()) {
      by20ms = transcode(t, G711Tone.records(Codec.PCMA, codes, 160, 4_000));
    }
    try (G711ToAac t = new G711ToAac()) {
      by128ms = transcode(t, G711Tone.records(Codec.PCMA, codes, 1024, 4_000));
    }
    int n = Math.min(by20ms.size(), by128ms.size());
    assertTrue(n >= 135, "frames: " + n);
    for (int i = 0; i < n; i++) {
      assertEquals(by20ms.get(i), by128ms.get(i), "frame " + i + ": same time, same bytes");
    }
  }

  @Test
  void resumingOnTheGridGivesEachRecordTheFramesAnUninterruptedRunGave() {
    List<AccessUnit> g711 =
        G711Tone.records(Codec.PCMU, G711Tone.codes(Codec.PCMU, 440, 0.2, 6.0), 160, 777);
    List<List<AccessUnit>> uninterrupted = new ArrayList<>();
    try (G711ToAac t = new G711ToAac()) {
      g711.forEach(r -> uninterrupted.add(t.transcode(r)));
    }
    for (int killedAfter : new int[] {3, 40, 41, 42, 120, 251}) {
      long resumeAt = -1;
      for (int i = 0; i <= killedAfter; i++) {
        for (AccessUnit f : uninterrupted.get(i)) {
          resumeAt = f.pts() + 1024;
        }
      }
      if (resumeAt < 0) {
        continue; // nothing written yet: a restarted packager starts the time line afresh
      }
      List<List<AccessUnit>> resumed = new ArrayList<>();
      int identical = 0;
      int frames = 0;
      try (G711ToAac t = new G711ToAac()) {
        t.resumeAt(resumeAt);
        List<AccessUnit> fromHistory =
            transcode(t, g711.subList(Math.max(0, killedAfter - 12), killedAfter + 1));
        assertEquals(List.of(), fromHistory, "the history gives nothing that was written already");
        for (int i = killedAfter + 1; i < g711.size(); i++) {
          List<AccessUnit> got = t.transcode(g711.get(i));
          List<AccessUnit> want = uninterrupted.get(i);
          assertEquals(
              want.stream().map(AccessUnit::pts).toList(),
              got.stream().map(AccessUnit::pts).toList(),
              "record " + i + " after a kill at " + killedAfter + ": the same frames");
          for (int j = 0; j < got.size(); j++) {
            frames++;
            identical += got.get(j).equals(want.get(j)) ? 1 : 0;
          }
          resumed.add(got);
        }
      }
      System.out.printf(
          "kill after record %d: resumed at %d, %d of %d frames byte-identical%n",
          killedAfter, resumeAt, identical, frames);
      List<AccessUnit> written = new ArrayList<>();
      for (int i = 0; i <= killedAfter; i++) {
        written.addAll(uninterrupted.get(i));
      }
      resumed.forEach(written::addAll);
      assertContiguous(written, 777L * 6);
      DecodedAudio heard = AacPlayback.of(written);
      assertTrue(heard.quietest10Ms(0.01, 5.8) > HOLE, "no hole at the restart");
      assertTrue(snrDb(heard, 0.1, 5.8) > 28, "nor a click: " + snrDb(heard, 0.1, 5.8) + " dB");
    }
  }

  @Test
  void whatIsNotAG711FrameIsRefusedAndChangesNothing() {
    List<AccessUnit> g711 =
        G711Tone.records(Codec.PCMA, G711Tone.codes(Codec.PCMA, 440, 0.2, 2.0), 160, 0);
    List<AccessUnit> aac = new ArrayList<>();
    try (G711ToAac t = new G711ToAac()) {
      aac.addAll(transcode(t, g711.subList(0, 50)));
      AccessUnit next = g711.get(50);
      assertThrows(
          IllegalArgumentException.class,
          () ->
              t.transcode(
                  new AccessUnit(
                      1, Codec.PCMA, next.pts(), next.dts(), 8_000, false, new byte[0], null)),
          "no samples");
      assertThrows(
          IllegalArgumentException.class,
          () ->
              t.transcode(
                  new AccessUnit(
                      1, Codec.AAC, next.pts(), next.dts(), 8_000, false, next.data(), null)),
          "not G.711");
      assertThrows(
          IllegalArgumentException.class,
          () ->
              t.transcode(
                  new AccessUnit(
                      1, Codec.PCMA, next.pts(), next.dts(), 90_000, false, next.data(), null)),
          "a video clock is no G.711 sample rate");
      aac.addAll(transcode(t, g711.subList(50, g711.size())));
      assertEquals(0, t.filledSamples() + t.cutSamples());
    }
    assertContiguous(aac, 0);
  }

  @Test
  void closingFreesTheNativeTranscoderAndNothingLeaks() throws Exception {
    List<AccessUnit> g711 =
        G711Tone.records(Codec.PCMU, G711Tone.codes(Codec.PCMU, 440, 0.2, 1.0), 160, 0);
    int before = G711ToAac.open();
    G711ToAac t = new G711ToAac();
    transcode(t, g711);
    assertEquals(before + 1, G711ToAac.open());
    t.close();
    t.close();
    assertEquals(before, G711ToAac.open());
    assertThrows(IllegalStateException.class, () -> t.transcode(g711.getFirst()));
    // a stream that comes and goes all day: rounds of 300 transcoders, each used for a second and
    // closed.
    // The first rounds settle the heap and malloc's arenas; a leak would then grow the last ones
    // alike
    // (an encoder left open holds over 100 KiB: 300 of them, tens of MiB).
    long[] grown = new long[4];
    for (int round = 0; round < grown.length; round++) {
      System.gc();
      long rssBefore = residentBytes();
      for (int i = 0; i < 300; i++) {
        try (G711ToAac used = new G711ToAac()) {
          transcode(used, g711);
        }
      }
      System.gc();
      grown[round] = residentBytes() - rssBefore;
    }
    System.out.printf(
        "rounds of 300 transcoders opened, used and closed: resident memory grew %.1f, %.1f, %.1f, %.1f MiB%n",
        grown[0] / 1048576.0, grown[1] / 1048576.0, grown[2] / 1048576.0, grown[3] / 1048576.0);
    assertEquals(before, G711ToAac.open());
    assertTrue(
        grown[2] + grown[3] < 6L * 1024 * 1024,
        "native memory is given back: grew "
            + (grown[2] + grown[3]) / 1024
            + " KiB over the last 600");
  }

  @Test
  void transcodingCostsAFewPercentOfACorePerStream() {
    List<AccessUnit> g711 =
        G711Tone.records(Codec.PCMA, G711Tone.codes(Codec.PCMA, 440, 0.2, 60.0), 160, 0);
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    try (G711ToAac t = new G711ToAac()) {
      transcode(t, g711.subList(0, 250)); // warm
      long before = cpu.getCurrentThreadCpuTime();
      List<AccessUnit> aac = transcode(t, g711.subList(250, g711.size()));
      double cpuSeconds = (cpu.getCurrentThreadCpuTime() - before) / 1e9;
      double audioSeconds = (g711.size() - 250) * 160 / 8_000.0;
      double percent = 100 * cpuSeconds / audioSeconds;
      System.out.printf(
          "G.711->AAC: %.2f s CPU for %.1f s of 8 kHz audio = %.2f %% of a core per stream%n",
          cpuSeconds, audioSeconds, percent);
      assertTrue(aac.size() > 2500, "transcoded it all: " + aac.size());
      assertTrue(
          percent < 10, "cheap enough for the packager's consumer thread: " + percent + " %");
    }
  }

  private static long residentBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS");
  }
}
