package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.testing.Bitstreams;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Access unit to sample: Annex-B to length-prefixed, what is dropped, flags and offsets. */
class SampleTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void h264DropsParameterSetsAndAudButKeepsSeiAndSlices() {
    byte[] annexB =
        hex(
            "00000001 09f0" // AUD
                + "00000001 6742c01e aa" // SPS
                + "00000001 68ce3c80" // PPS
                + "00000001 0605ff bb" // SEI
                + "00000001 6588 8040"); // IDR slice
    Sample sample = Sample.fromAccessUnit(video(Codec.H264, annexB, true), 3600);
    assertEquals("00000004 0605ffbb" + "00000004 65888040", spaced(sample.data()));
  }

  @Test
  void h265DropsVpsSpsPpsAndAud() {
    byte[] annexB =
        hex(
            "00000001 4601 50" // AUD (type 35)
                + "00000001 4001 0c01" // VPS
                + "00000001 4201 0101" // SPS
                + "00000001 4401 c172" // PPS
                + "00000001 4e01 0501" // prefix SEI (type 39)
                + "00000001 2601 af09"); // IDR_W_RADL
    Sample sample = Sample.fromAccessUnit(video(Codec.H265, annexB, true), 3600);
    assertEquals("00000004 4e010501" + "00000004 2601af09", spaced(sample.data()));
  }

  /** Framing like AnnexB.split: 3-byte start codes, junk before the first, trailing zeros. */
  @Test
  void framingFollowsAnnexBSplit() {
    byte[] annexB =
        hex(
            "ffee" // junk before the first start code
                + "000001 0605 aa0000" // 3-byte start code; trailing zeros are not part of the NAL
                // unit
                + "00000001 41 9a 0000 03 01" // emulation prevention stays as it is
                + "000001 41 9b 00"); // trailing_zero_8bits at the end
    Sample sample = Sample.fromAccessUnit(video(Codec.H264, annexB, false), 3600);
    assertEquals(
        "00000003 0605aa" + "00000006 419a00000301" + "00000002 419b", spaced(sample.data()));
  }

  /** Every access unit of real encoder output converts exactly like split + filter + prefix. */
  @ParameterizedTest
  @CsvSource({
    "h264_720p25_aud.h264, H264",
    "h264_1080p30_cqm.h264, H264",
    "h264_240p15_baseline.h264, H264",
    "h265_720p25.h265, H265",
    "h265_564p30_main10.h265, H265"
  })
  void realAccessUnitsMatchTheReferenceConversion(String resource, Codec codec) {
    List<List<byte[]>> units = Bitstreams.accessUnits(Bitstreams.resource(resource), codec);
    for (List<byte[]> unit : units) {
      List<byte[]> kept = unit.stream().filter(nal -> !droppable(codec, nal)).toList();
      if (kept.isEmpty()) {
        continue;
      }
      Sample sample = Sample.fromAccessUnit(video(codec, AnnexB.join(unit), false), 3000);
      assertArrayEquals(Bitstreams.lengthPrefixed(kept), sample.data());
    }
  }

  @Test
  void compositionOffsetIsPtsMinusDtsAndMayBeNegative() {
    byte[] slice = hex("00000001 4188");
    assertEquals(
        7200,
        Sample.fromAccessUnit(
                new AccessUnit(0, Codec.H264, 10_800, 3_600, 90_000, false, slice, null), 3600)
            .compositionOffset());
    assertEquals(
        -3600,
        Sample.fromAccessUnit(
                new AccessUnit(0, Codec.H264, 0, 3_600, 90_000, false, slice, null), 3600)
            .compositionOffset());
    long big = 1L << 40;
    assertEquals(
        1,
        Sample.fromAccessUnit(
                new AccessUnit(0, Codec.H264, big + 1, big, 90_000, false, slice, null), 1)
            .compositionOffset());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Sample.fromAccessUnit(
                new AccessUnit(0, Codec.H264, big, 0, 90_000, false, slice, null), 1));
  }

  @Test
  void videoSyncIsTheKeyframeFlag() {
    byte[] slice = hex("00000001 6588");
    Sample key = Sample.fromAccessUnit(video(Codec.H264, slice, true), 1);
    Sample other = Sample.fromAccessUnit(video(Codec.H264, hex("00000001 4188"), false), 1);
    assertTrue(key.sync());
    assertEquals(SampleFlags.SYNC, key.flags());
    assertFalse(other.sync());
    assertEquals(SampleFlags.NON_SYNC, other.flags());
    assertTrue(SampleFlags.isSync(key.flags()));
    assertFalse(SampleFlags.isSync(other.flags()));
  }

  /**
   * Audio records say keyframe=false (docs/record-format.md); every audio frame is a sync sample
   * anyway.
   */
  @Test
  void audioIsPassedThroughAndAlwaysSync() {
    byte[] frame = {0x21, 0x10, 0x04, 0x60};
    for (Codec codec : List.of(Codec.AAC, Codec.PCMU, Codec.PCMA)) {
      Sample sample =
          Sample.fromAccessUnit(
              new AccessUnit(1, codec, 480, 480, 48_000, false, frame, null), 1024);
      assertSame(frame, sample.data());
      assertTrue(sample.sync());
      assertEquals(0, sample.compositionOffset());
      assertEquals(1024, sample.duration());
    }
  }

  @Test
  void rejectsAccessUnitsThatMakeNoSample() {
    assertThrows(
        IllegalArgumentException.class, // only parameter sets
        () ->
            Sample.fromAccessUnit(
                video(Codec.H264, hex("00000001 6742c01e 00000001 68ce3c80"), true), 1));
    assertThrows(
        IllegalArgumentException.class, // no start code: not Annex-B
        () -> Sample.fromAccessUnit(video(Codec.H264, hex("00000002 6588"), true), 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Sample.fromAccessUnit(video(Codec.H265, new byte[0], true), 1));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Sample.fromAccessUnit(
                new AccessUnit(0, Codec.AAC, 0, 0, 48_000, false, new byte[0], null), 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Sample.fromAccessUnit(video(Codec.H264, hex("00000001 6588"), true), -1));
    assertThrows(IllegalArgumentException.class, () -> new Sample(new byte[1], -1, 0, true));
    assertThrows(NullPointerException.class, () -> new Sample(null, 1, 0, true));
  }

  @Test
  void equalityComparesBytes() {
    Sample a = new Sample(new byte[] {1, 2}, 10, 0, true);
    assertEquals(a, new Sample(new byte[] {1, 2}, 10, 0, true));
    assertEquals(a.hashCode(), new Sample(new byte[] {1, 2}, 10, 0, true).hashCode());
    assertNotEquals(a, new Sample(new byte[] {1, 3}, 10, 0, true));
    assertNotEquals(a, new Sample(new byte[] {1, 2}, 11, 0, true));
    assertNotEquals(a, new Sample(new byte[] {1, 2}, 10, 1, true));
    assertNotEquals(a, new Sample(new byte[] {1, 2}, 10, 0, false));
    assertEquals("Sample[data=2 bytes, duration=10, compositionOffset=0, sync=true]", a.toString());
  }

  private static boolean droppable(Codec codec, byte[] nal) {
    if (codec == Codec.H264) {
      int type = H264NalType.type(nal);
      return H264NalType.isParameterSet(type) || type == H264NalType.AUD;
    }
    int type = H265NalType.type(nal);
    return H265NalType.isParameterSet(type) || type == H265NalType.AUD;
  }

  private static AccessUnit video(Codec codec, byte[] annexB, boolean keyframe) {
    return new AccessUnit(0, codec, 0, 0, 90_000, keyframe, annexB, null);
  }

  private static byte[] hex(String spaced) {
    return HEX.parseHex(spaced.replace(" ", ""));
  }

  /** Length-prefixed NAL units as "length payload" hex pairs, for readable failures. */
  private static String spaced(byte[] lengthPrefixed) {
    StringBuilder out = new StringBuilder();
    int pos = 0;
    while (pos + 4 <= lengthPrefixed.length) {
      int length =
          ((lengthPrefixed[pos] & 0xFF) << 24)
              | ((lengthPrefixed[pos + 1] & 0xFF) << 16)
              | ((lengthPrefixed[pos + 2] & 0xFF) << 8)
              | (lengthPrefixed[pos + 3] & 0xFF);
      int end = Math.min(lengthPrefixed.length, pos + 4 + length);
      out.append(HEX.formatHex(lengthPrefixed, pos, pos + 4))
          .append(' ')
          .append(HEX.formatHex(lengthPrefixed, pos + 4, end));
      pos = end;
    }
    return out.toString();
  }
}
