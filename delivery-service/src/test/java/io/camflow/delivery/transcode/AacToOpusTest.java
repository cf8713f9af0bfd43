package io.camflow.delivery.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real AAC (FFmpeg's AAC encoder, from a sine) through the transcoder, the Opus played back by
 * FFmpeg's own Opus decoder: the same sound, the same length, on the AAC's time line.
 */
class AacToOpusTest {

  private static final long CAPTURE_0 = 1_790_000_000_000_000L;

  /** Transcodes units whose capture clock runs with their pts. */
  private static List<OpusPacket> transcode(AacToOpus t, List<AccessUnit> units)
      throws BadAudioFrameException {
    List<OpusPacket> out = new ArrayList<>();
    for (AccessUnit au : units) {
      out.addAll(t.transcode(au, CAPTURE_0 + au.pts() * 1_000_000 / au.timebase(), 42));
    }
    return out;
  }

  @Test
  void aStereoSineBecomesOpusThatAnotherDecoderPlaysBackAsTheSameSine() throws Exception {
    List<AccessUnit> aac = AacSine.frames(48_000, 2, 1000, 0.3, 5.0, 0);
    List<OpusPacket> opus;
    try (AacToOpus t = new AacToOpus(aac.getFirst().codecConfig())) {
      assertEquals("libopus", t.encoderName(), "bytedeco's FFmpeg links libopus");
      opus = transcode(t, aac);
    }
    double aacSeconds = aac.size() * 1024 / 48_000.0;
    assertEquals(
        aacSeconds, opus.size() * 0.020, 0.045, "20 ms packets for the whole AAC: " + opus.size());
    for (int i = 1; i < opus.size(); i++) {
      assertEquals(
          960,
          opus.get(i).pts() - opus.get(i - 1).pts(),
          "packet " + i + " 20 ms after the one before");
      assertTrue(opus.get(i).data().length < 1200, "fits one RTP payload");
    }
    OpusPlayback played = OpusPlayback.of(opus);
    assertEquals(aacSeconds, played.seconds(), 0.045);
    double rms = played.rms(0.5, 4.5);
    System.out.printf(
        "AAC 48 kHz stereo %.3f s -> %d Opus packets, played back %.3f s, rms %.3f, %.1f Hz%n",
        aacSeconds, opus.size(), played.seconds(), rms, played.hz(0.5, 4.5));
    assertEquals(0.3 / Math.sqrt(2), rms, 0.05, "the sine's level (rms " + rms + ")");
    assertEquals(1000, played.hz(0.5, 4.5), 5, "the sine's frequency");
  }

  @Test
  void aMonoSineAt44100HzIsResampledTo48kHz() throws Exception {
    List<AccessUnit> aac = AacSine.frames(44_100, 1, 440, 0.5, 3.0, 0);
    List<OpusPacket> opus;
    try (AacToOpus t = new AacToOpus(aac.getFirst().codecConfig())) {
      opus = transcode(t, aac);
    }
    double aacSeconds = aac.size() * 1024 / 44_100.0;
    OpusPlayback played = OpusPlayback.of(opus);
    assertEquals(aacSeconds, played.seconds(), 0.045);
    assertTrue(played.rms(0.5, 2.5) > 0.25, "not silent: " + played.rms(0.5, 2.5));
    assertEquals(
        440, played.hz(0.5, 2.5), 3, "the sine's frequency, not shifted by the resampling");
  }

  @Test
  void packetsContinueTheAacTimeLineAndStartAgainAfterAGap() throws Exception {
    // a 16 kHz camera whose pts starts at 10 s
    List<AccessUnit> aac = AacSine.frames(16_000, 1, 440, 0.5, 4.0, 160_000);
    List<AccessUnit> withGap = new ArrayList<>(aac.subList(0, 40));
    withGap.addAll(aac.subList(60, aac.size())); // 20 frames (1.28 s) lost
    List<OpusPacket> opus;
    try (AacToOpus t = new AacToOpus(aac.getFirst().codecConfig())) {
      opus = transcode(t, withGap);
    }
    long start = 10 * 48_000;
    assertTrue(
        Math.abs(opus.getFirst().pts() - start) <= 960,
        "first packet at the AAC's 10 s: " + opus.getFirst());
    OpusPacket jump = null;
    for (int i = 1; i < opus.size(); i++) {
      long step = opus.get(i).pts() - opus.get(i - 1).pts();
      if (step != 960) {
        assertTrue(jump == null, "one jump only");
        jump = opus.get(i);
        long resumed = 60 * 1024 * 3 + start; // frame 60's pts at 48 kHz
        assertTrue(
            Math.abs(jump.pts() - resumed) <= 960,
            "the jump lands on the AAC after the gap: " + jump.pts() + " vs " + resumed);
      }
    }
    assertTrue(jump != null, "the gap shows in the time line");
    for (OpusPacket p : opus) {
      long expected = CAPTURE_0 + p.pts() * 1_000_000 / 48_000;
      assertTrue(
          Math.abs(p.captureMicros() - expected) <= 1_000, "capture clock follows the pts: " + p);
      assertEquals(42, p.receivedMicros());
    }
  }

  @Test
  void aBrokenFrameIsRefusedAndTheFramesAfterItStillTranscode() throws Exception {
    List<AccessUnit> aac = AacSine.frames(48_000, 1, 1000, 0.5, 2.0, 0);
    try (AacToOpus t = new AacToOpus(aac.getFirst().codecConfig())) {
      transcode(t, aac.subList(0, 40));
      AccessUnit broken =
          new AccessUnit(
              1,
              Codec.AAC,
              40 * 1024,
              40 * 1024,
              48_000,
              false,
              new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x13, 0x37},
              aac.getFirst().codecConfig());
      assertThrows(BadAudioFrameException.class, () -> t.transcode(broken, CAPTURE_0, 0));
      List<OpusPacket> after = transcode(t, aac.subList(41, aac.size()));
      assertTrue(
          after.size() >= (aac.size() - 42) * 1024 / 960, "the frames after it: " + after.size());
      assertTrue(OpusPlayback.of(after).rms(0.2, 0.8) > 0.25, "and they sound");
    }
  }

  @Test
  void transcodingCostsAFewPercentOfACorePerStream() throws Exception {
    // 60 s of a 48 kHz stereo camera (the dearest usual case: 44.1/16 kHz mono cost less)
    List<AccessUnit> aac = AacSine.frames(48_000, 2, 1000, 0.3, 60.0, 0);
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    try (AacToOpus t = new AacToOpus(aac.getFirst().codecConfig())) {
      transcode(t, aac.subList(0, 50)); // warm
      long before = cpu.getCurrentThreadCpuTime();
      List<OpusPacket> opus = transcode(t, aac.subList(50, aac.size()));
      double cpuSeconds = (cpu.getCurrentThreadCpuTime() - before) / 1e9;
      double audioSeconds = (aac.size() - 50) * 1024 / 48_000.0;
      double percent = 100 * cpuSeconds / audioSeconds;
      System.out.printf(
          "AAC->Opus: %.2f s CPU for %.1f s of 48 kHz stereo audio = %.2f %% of a core per stream%n",
          cpuSeconds, audioSeconds, percent);
      assertTrue(opus.size() > 2900, "transcoded it all: " + opus.size());
      assertTrue(percent < 25, "cheap enough to run one per watched AAC stream: " + percent + " %");
    }
  }

  @Test
  void closingFreesTheNativeTranscoder() throws Exception {
    int before = AacToOpus.open();
    List<AccessUnit> aac = AacSine.frames(48_000, 1, 1000, 0.5, 0.5, 0);
    AacToOpus t = new AacToOpus(aac.getFirst().codecConfig());
    transcode(t, aac);
    assertEquals(before + 1, AacToOpus.open());
    t.close();
    t.close();
    assertEquals(before, AacToOpus.open());
    assertThrows(IllegalStateException.class, () -> t.transcode(aac.getFirst(), 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new AacToOpus(new byte[] {0}));
    assertEquals(before, AacToOpus.open(), "a refused configuration holds nothing");
  }
}
