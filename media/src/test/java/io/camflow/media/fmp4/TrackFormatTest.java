package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.testing.Bitstreams;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrackFormatTest {

  /**
   * Sizes and profiles as {@code ffprobe -show_streams} reports them for the same files (see {@code
   * H264SpsTest}/{@code H265SpsTest}); the codec strings are RFC 6381 / ISO/IEC 14496-15 Annex E
   * spellings of those profiles and levels.
   */
  @ParameterizedTest
  @CsvSource({
    "h264_720p25_aud.h264, H264, 1280, 720, avc1.64001f", // High, level 3.1
    "h264_240p15_baseline.h264, H264, 320, 240, avc1.42c00c", // Constrained Baseline, level 1.2
    "h264_768p10_444.h264, H264, 1366, 768, avc1.f40020", // High 4:4:4 Predictive, level 3.2
    "h265_720p25.h265, H265, 1280, 720, hvc1.1.6.L93.90",
    "h265_564p30_main10.h265, H265, 1000, 564, hvc1.2.4.L93.90"
  })
  void videoFromTheParameterSetsOfAKeyframe(
      String resource, Codec codec, int width, int height, String codecString) {
    TrackFormat track = TrackFormat.video(1, codec, keyframeConfig(resource, codec));
    assertEquals(width, track.width());
    assertEquals(height, track.height());
    assertEquals(90_000, track.timescale());
    assertEquals(codecString, track.codecString());
    assertTrue(track.isVideo());
    assertEquals(codec == Codec.H264 ? 2 : 3, track.parameterSets().size());
  }

  /**
   * The camflow.config header is VPS, SPS, PPS; whatever order arrives, the track keeps that one.
   */
  @Test
  void parameterSetsAreKeptInDecodingOrderOnceEach() {
    byte[] vps = Bitstreams.firstH265("h265_720p25.h265", H265NalType.VPS);
    byte[] sps = Bitstreams.firstH265("h265_720p25.h265", H265NalType.SPS);
    byte[] pps = Bitstreams.firstH265("h265_720p25.h265", H265NalType.PPS);
    byte[] sei = HexFormat.of().parseHex("4e0105");
    TrackFormat track =
        TrackFormat.video(2, Codec.H265, AnnexB.join(List.of(pps, sei, sps, vps, sps)));
    assertEquals(3, track.parameterSets().size());
    assertArrayEquals(vps, track.parameterSets().get(0));
    assertArrayEquals(sps, track.parameterSets().get(1));
    assertArrayEquals(pps, track.parameterSets().get(2));
  }

  @Test
  void videoNeedsEveryParameterSet() {
    byte[] sps = Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.SPS);
    byte[] pps = Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.PPS);
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.video(1, Codec.H264, AnnexB.join(List.of(sps))));
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.video(1, Codec.H264, AnnexB.join(List.of(pps))));
    assertThrows(
        IllegalArgumentException.class, () -> TrackFormat.video(1, Codec.H264, new byte[0]));
    // H.264 sets are no H.265 sets
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.video(1, Codec.H265, AnnexB.join(List.of(sps, pps))));
    byte[] h265 = keyframeConfig("h265_720p25.h265", Codec.H265);
    List<byte[]> withoutVps =
        AnnexB.split(h265).stream()
            .filter(nal -> H265NalType.type(nal) != H265NalType.VPS)
            .toList();
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.video(1, Codec.H265, AnnexB.join(withoutVps)));
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.video(1, Codec.AAC, AnnexB.join(List.of(sps, pps))));
  }

  @Test
  void videoRejectsAnSpsThatDoesNotParse() {
    byte[] pps = Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.PPS);
    byte[] brokenSps = {0x67, 0x64};
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.video(1, Codec.H264, AnnexB.join(List.of(brokenSps, pps))));
  }

  @ParameterizedTest
  @CsvSource({
    "1188, 2, 48000, 1, mp4a.40.2", // AAC-LC 48 kHz mono
    "1210, 2, 44100, 2, mp4a.40.2", // AAC-LC 44.1 kHz stereo
    "1588, 2, 8000, 1, mp4a.40.2", // AAC-LC 8 kHz mono (index 11), what cameras often send
    "118856e500, 2, 48000, 1, mp4a.40.2", // with the SBR sync extension FFmpeg appends
    "2b920800, 5, 22050, 2, mp4a.40.5", // HE-AAC, explicit: core rate 22.05 kHz
    "17805dc010, 2, 48000, 2, mp4a.40.2", // explicit frequency (index 15): 24 bits, 0x00bb80 =
    // 48000
    "f8f620, 39, 8000, 1, mp4a.40.39"
  }) // escaped object type 31 + 7 = ER AAC ELD
  void aacFromTheAudioSpecificConfig(
      String asc, int objectType, int sampleRate, int channels, String codecString) {
    TrackFormat track = TrackFormat.aac(2, HexFormat.of().parseHex(asc));
    assertEquals(sampleRate, track.sampleRate());
    assertEquals(sampleRate, track.timescale());
    assertEquals(channels, track.channels());
    assertEquals(codecString, track.codecString());
    assertEquals(objectType, AudioSpecificConfig.parse(HexFormat.of().parseHex(asc)).objectType());
  }

  @Test
  void aacRejectsConfigsThatNameNothing() {
    assertThrows(IllegalArgumentException.class, () -> TrackFormat.aac(1, new byte[] {0x11}));
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.aac(1, new byte[] {0x16, (byte) 0x88})); // index 13
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.aac(1, new byte[] {0x00, 0x00})); // object type 0
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.aac(1, new byte[] {0x11, (byte) 0xC8})); // channels 9
    assertThrows(
        IllegalArgumentException.class,
        () -> TrackFormat.aac(1, new byte[] {0x17, (byte) 0x80})); // 24-bit rate cut off
    assertThrows(NullPointerException.class, () -> TrackFormat.aac(1, null));
  }

  /** channelConfiguration 0: the layout is in a program config element; the entry says 2. */
  @Test
  void aacChannelConfigurationZeroCountsAsStereo() {
    assertEquals(2, TrackFormat.aac(1, new byte[] {0x11, (byte) 0x80}).channels());
  }

  @Test
  void g711() {
    TrackFormat ulaw = TrackFormat.g711(3, Codec.PCMU, 8000, 1);
    assertEquals("ulaw", ulaw.codecString());
    assertEquals(8000, ulaw.timescale());
    assertEquals("alaw", TrackFormat.g711(3, Codec.PCMA, 16000, 2).codecString());
    assertThrows(IllegalArgumentException.class, () -> TrackFormat.g711(3, Codec.AAC, 8000, 1));
    assertThrows(IllegalArgumentException.class, () -> TrackFormat.g711(3, Codec.PCMU, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> TrackFormat.g711(3, Codec.PCMU, 8000, 0));
  }

  /** The packager compares formats to decide on a new init segment: equality is by content. */
  @Test
  void equalityComparesContentSoAChangedSpsIsANewFormat() {
    byte[] config = keyframeConfig("h264_720p25_aud.h264", Codec.H264);
    TrackFormat a = TrackFormat.video(1, Codec.H264, config);
    TrackFormat b = TrackFormat.video(1, Codec.H264, config.clone());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    byte[] otherConfig = keyframeConfig("h264_1080p30_cqm.h264", Codec.H264);
    assertNotEquals(a, TrackFormat.video(1, Codec.H264, otherConfig));
    assertNotEquals(a, TrackFormat.video(2, Codec.H264, config));
    assertEquals(
        TrackFormat.aac(2, new byte[] {0x11, (byte) 0x88}),
        TrackFormat.aac(2, new byte[] {0x11, (byte) 0x88}));
    assertNotEquals(
        TrackFormat.aac(2, new byte[] {0x11, (byte) 0x88}),
        TrackFormat.aac(2, new byte[] {0x11, (byte) 0x90}));
    assertEquals(
        "TrackFormat[trackId=1, codec=h264, timescale=90000, 1280x720, parameterSets=2]",
        a.toString());
  }

  @Test
  void canonicalConstructorChecksWhatTheBoxesNeed() {
    byte[] config = keyframeConfig("h264_720p25_aud.h264", Codec.H264);
    List<byte[]> sets = AnnexB.split(config);
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(0, Codec.H264, 90_000, 1280, 720, sets, null, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(1, Codec.H264, 0, 1280, 720, sets, null, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(1, Codec.H264, 90_000, 0, 720, sets, null, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(1, Codec.H264, 90_000, 70_000, 720, sets, null, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(1, Codec.H264, 90_000, 1280, 720, List.of(), null, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(1, Codec.AAC, 48_000, 0, 0, null, null, 48_000, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(1, Codec.PCMU, 8_000, 0, 0, null, null, 8_000, 0));
    List<byte[]> withOversized = new ArrayList<>(sets);
    withOversized.add(new byte[70_000]);
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrackFormat(1, Codec.H264, 90_000, 1280, 720, withOversized, null, 0, 0));
  }

  @Test
  void withTimescaleChangesOnlyTheTimescale() {
    TrackFormat aac = TrackFormat.aac(2, new byte[] {0x11, (byte) 0x88});
    TrackFormat other = aac.withTimescale(90_000);
    assertEquals(90_000, other.timescale());
    assertEquals(48_000, other.sampleRate());
    assertEquals(aac, other.withTimescale(48_000));
  }

  /** The Annex-B parameter sets a keyframe record of this stream would carry. */
  static byte[] keyframeConfig(String resource, Codec codec) {
    List<byte[]> sets = new ArrayList<>();
    for (int type :
        codec == Codec.H264
            ? new int[] {H264NalType.SPS, H264NalType.PPS}
            : new int[] {H265NalType.VPS, H265NalType.SPS, H265NalType.PPS}) {
      sets.add(
          codec == Codec.H264
              ? Bitstreams.firstH264(resource, type)
              : Bitstreams.firstH265(resource, type));
    }
    return AnnexB.join(sets);
  }
}
