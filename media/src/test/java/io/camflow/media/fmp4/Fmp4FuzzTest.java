package io.camflow.media.fmp4;

import static io.camflow.media.testing.FuzzInputs.mutate;
import static io.camflow.media.testing.FuzzInputs.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.testing.Bitstreams;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input into everything that takes data from the wire: the only exception
 * allowed out is {@link IllegalArgumentException}, and whatever is accepted must still write a
 * well-formed fragment / init segment. Seeded, so a failure reproduces.
 */
class Fmp4FuzzTest {

  private static final int ROUNDS = 3000;

  @Test
  void accessUnitsBecomeSamplesOrIllegalArgument() {
    Random random = new Random(11);
    int accepted = 0;
    for (Codec codec : List.of(Codec.H264, Codec.H265)) {
      List<byte[]> packets =
          Bitstreams.annexBPackets(
              codec == Codec.H264 ? "h264_720p25_aud.h264" : "h265_720p25.h265", codec);
      for (int i = 0; i < ROUNDS; i++) {
        byte[] data =
            switch (i % 3) {
              case 0 -> randomBytes(random, 200);
              case 1 -> mutate(random, packets.get(random.nextInt(packets.size())).clone());
              default -> packets.get(random.nextInt(packets.size()));
            };
        long dts = random.nextLong() >>> 1;
        long pts =
            dts + (random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(20_000) - 10_000);
        AccessUnit unit =
            new AccessUnit(0, codec, pts, dts, 90_000, random.nextBoolean(), data, null);
        accepted +=
            toFragmentOrIllegalArgument(
                unit, random.nextInt(5) == 0 ? -random.nextInt(100) : random.nextInt(10_000), dts);
      }
    }
    assertTrue(
        accepted > ROUNDS / 2 && accepted < 2 * ROUNDS,
        "accepted " + accepted + ": both outcomes exercised");
  }

  @Test
  void audioFramesBecomeSamplesOrIllegalArgument() {
    Random random = new Random(12);
    for (int i = 0; i < ROUNDS; i++) {
      Codec codec = List.of(Codec.AAC, Codec.PCMU, Codec.PCMA).get(i % 3);
      long dts = random.nextInt(1 << 20);
      AccessUnit unit =
          new AccessUnit(1, codec, dts, dts, 8000, false, randomBytes(random, 400), null);
      toFragmentOrIllegalArgument(unit, random.nextInt(2000), dts);
    }
  }

  @Test
  void parameterSetsMakeAnInitSegmentOrIllegalArgument() {
    Random random = new Random(13);
    int accepted = 0;
    byte[] h264 = TrackFormatTest.keyframeConfig("h264_720p25_aud.h264", Codec.H264);
    byte[] h265 = TrackFormatTest.keyframeConfig("h265_720p25.h265", Codec.H265);
    byte[] h265Main10 = TrackFormatTest.keyframeConfig("h265_564p30_main10.h265", Codec.H265);
    for (int i = 0; i < ROUNDS; i++) {
      Codec codec = i % 2 == 0 ? Codec.H264 : Codec.H265;
      byte[] seed = codec == Codec.H264 ? h264 : (i % 4 == 1 ? h265 : h265Main10);
      byte[] config = i % 5 == 0 ? randomBytes(random, 80) : mutate(random, seed.clone());
      try {
        TrackFormat track = TrackFormat.video(1 + random.nextInt(10), codec, config);
        track.codecString();
        assertWellFormed(InitSegment.write(List.of(track)));
        accepted++;
      } catch (IllegalArgumentException expected) {
        // documented
      } catch (RuntimeException | AssertionError e) {
        fail(
            "undocumented " + e + " for " + codec + " config " + HexFormat.of().formatHex(config),
            e);
      }
    }
    assertTrue(
        accepted > ROUNDS / 10 && accepted < ROUNDS,
        "accepted " + accepted + ": both outcomes exercised");
  }

  @Test
  void audioSpecificConfigsMakeAnInitSegmentOrIllegalArgument() {
    Random random = new Random(14);
    int accepted = 0;
    byte[] seed = HexFormat.of().parseHex("118856e500");
    for (int i = 0; i < ROUNDS; i++) {
      byte[] asc = i % 2 == 0 ? randomBytes(random, 8) : mutate(random, seed.clone());
      try {
        TrackFormat track = TrackFormat.aac(2, asc);
        track.codecString();
        assertWellFormed(InitSegment.write(List.of(track)));
        accepted++;
      } catch (IllegalArgumentException expected) {
        // documented
      } catch (RuntimeException | AssertionError e) {
        fail("undocumented " + e + " for ASC " + HexFormat.of().formatHex(asc), e);
      }
    }
    assertTrue(
        accepted > ROUNDS / 10 && accepted < ROUNDS,
        "accepted " + accepted + ": both outcomes exercised");
  }

  @Test
  void boxReaderThrowsOnlyIllegalArgument() {
    Random random = new Random(15);
    byte[] init =
        InitSegment.write(List.of(InitSegmentTest.h264Track(1), InitSegmentTest.aacTrack(2)));
    byte[] fragment =
        Fragment.write(
            1,
            List.of(
                new TrackRun(
                    1,
                    0,
                    List.of(
                        new Sample(new byte[100], 3600, 3600, true),
                        new Sample(new byte[9], 3600, -3600, false))),
                new TrackRun(2, 0, List.of(new Sample(new byte[20], 1024, 0, true)))));
    for (int i = 0; i < ROUNDS; i++) {
      byte[] input =
          switch (i % 3) {
            case 0 -> mutate(random, init.clone());
            case 1 -> mutate(random, fragment.clone());
            default -> randomBytes(random, 64);
          };
      try {
        Mp4Boxes.parse(input);
      } catch (IllegalArgumentException expected) {
        // documented
      } catch (RuntimeException | StackOverflowError e) {
        fail("undocumented " + e + " for " + HexFormat.of().formatHex(input), e);
      }
    }
  }

  /**
   * Sample, then a fragment of it, then the fragment read back: only IllegalArgumentException
   * before the fragment. Returns 1 if the access unit was accepted.
   */
  private static int toFragmentOrIllegalArgument(AccessUnit unit, int duration, long dts) {
    Sample sample;
    try {
      sample = Sample.fromAccessUnit(unit, duration);
    } catch (IllegalArgumentException expected) {
      return 0;
    } catch (RuntimeException e) {
      fail("undocumented " + e + " for " + unit + ": " + HexFormat.of().formatHex(unit.data()), e);
      return 0;
    }
    if (unit.codec().isVideo()) {
      // what is left is well-formed length-prefixed data
      AnnexB.splitLengthPrefixed(sample.data(), 4);
    }
    byte[] fragment = Fragment.write(1, List.of(new TrackRun(1, dts, List.of(sample))));
    assertWellFormed(fragment);
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(fragment);
    assertEquals(sample.data().length, boxes.get(1).payloadSize());
    return 1;
  }

  private static void assertWellFormed(byte[] mp4) {
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(mp4);
    assertEquals(mp4.length, boxes.get(boxes.size() - 1).end());
  }
}
