package io.camflow.media.au;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.testing.Bitstreams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AccessUnitAssemblerTest {

  private static final String H264_720P = "h264_720p25_aud.h264";
  private static final String H264_240P = "h264_240p15_baseline.h264";
  private static final String H265_720P = "h265_720p25.h265";
  private static final long FRAME = 3600; // 90 kHz ticks at 25 fps

  private static final byte[] SPS_720P = Bitstreams.firstH264(H264_720P, H264NalType.SPS);
  private static final byte[] PPS_720P = Bitstreams.firstH264(H264_720P, H264NalType.PPS);

  // ffprobe -v error -show_packets h264_720p25_aud.h264: 25 packets, flags=K on packets 0, 10 and
  // 20
  @Test
  void h264WithInBandParameterSets() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    List<AccessUnit> units =
        assembleAll(assembler, Bitstreams.annexBPackets(H264_720P, Codec.H264));

    assertEquals(25, units.size());
    assertEquals(List.of(0, 10, 20), keyframeIndexes(units));
    byte[] config = AnnexB.join(List.of(SPS_720P, PPS_720P));
    for (AccessUnit au : units) {
      List<Integer> types = h264Types(au);
      assertFalse(types.contains(H264NalType.AUD), "AUD stripped: " + types);
      assertEquals(Codec.H264, au.codec());
      assertEquals(90_000, au.timebase());
      // pts rise by a frame here, in decoding order: the derived dts lag by the SPS's reorder depth
      assertEquals(
          au.pts() - 2 * FRAME, au.dts(), "unknown dts derived with max_num_reorder_frames 2");
      if (au.keyframe()) {
        assertEquals(List.of(7, 8), types.subList(0, 2));
        assertEquals(
            1, types.stream().filter(t -> t == H264NalType.SPS).count(), "no duplicate SPS");
        assertEquals(
            1, types.stream().filter(t -> t == H264NalType.PPS).count(), "no duplicate PPS");
        assertEquals(H264NalType.IDR_SLICE, (int) types.get(types.size() - 1));
        assertArrayEquals(config, au.codecConfig());
      } else {
        assertEquals(List.of(H264NalType.NON_IDR_SLICE), types);
        assertNull(au.codecConfig());
      }
    }
    assertEquals(
        List.of(7, 8, 6, 5), h264Types(units.get(0)), "x264's SEI stays in the first access unit");
    assertEquals(
        Optional.of(new VideoFormat(Codec.H264, 1280, 720, 25.0, "avc1.64001f")),
        assembler.format());
  }

  @Test
  void onlyTheFirstKeyframeOfAnUnchangedStreamCountsAsConfigChange() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    assertFalse(assembler.lastKeyframeChangedConfig(), "no keyframe yet");
    List<Boolean> changes = new ArrayList<>();
    long pts = 0;
    for (byte[] packet : Bitstreams.annexBPackets(H264_720P, Codec.H264)) {
      Optional<AccessUnit> au = assembler.assemble(packet, pts += FRAME, Long.MIN_VALUE);
      if (au.orElseThrow().keyframe()) {
        changes.add(assembler.lastKeyframeChangedConfig());
      }
    }
    assertEquals(List.of(true, false, false), changes);
  }

  @Test
  void sdpOnlyParameterSetsArePrependedToEveryKeyframe() {
    List<byte[]> stripped =
        Bitstreams.accessUnits(Bitstreams.resource(H264_720P), Codec.H264).stream()
            .map(
                nals ->
                    nals.stream()
                        .filter(n -> !H264NalType.isParameterSet(H264NalType.type(n)))
                        .toList())
            .map(AnnexB::join)
            .toList();
    // what FFmpeg's RTSP demuxer makes of sprop-parameter-sets
    byte[] extradata = AnnexB.join(List.of(SPS_720P, PPS_720P));

    AccessUnitAssembler fromSdp = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    fromSdp.setOutOfBandParameterSets(extradata);
    List<AccessUnit> units = assembleAll(fromSdp, stripped);

    AccessUnitAssembler inBand = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    assertEquals(
        assembleAll(inBand, Bitstreams.annexBPackets(H264_720P, Codec.H264)),
        units,
        "same access units as when the camera repeats its parameter sets");
    assertEquals(3, units.stream().filter(AccessUnit::keyframe).count());
    assertEquals(1280, fromSdp.format().orElseThrow().width());
  }

  @Test
  void avcCExtradataWorksLikeAnnexBExtradata() {
    List<byte[]> stripped =
        Bitstreams.accessUnits(Bitstreams.resource(H264_720P), Codec.H264).stream()
            .map(
                nals ->
                    nals.stream()
                        .filter(n -> !H264NalType.isParameterSet(H264NalType.type(n)))
                        .toList())
            .map(Bitstreams::lengthPrefixed)
            .toList();
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    assembler.setOutOfBandParameterSets(Bitstreams.resource("h264_720p25.avcC"));
    List<AccessUnit> units = assembleAll(assembler, stripped);
    AccessUnit first = units.get(0);
    assertTrue(first.keyframe());
    assertArrayEquals(AnnexB.join(List.of(SPS_720P, PPS_720P)), first.codecConfig());
    assertEquals(List.of(7, 8, 6, 5), h264Types(first));
  }

  @Test
  void lengthPrefixedPacketsGiveTheSameAccessUnitsAsAnnexB() {
    List<byte[]> lengthPrefixed =
        Bitstreams.accessUnits(Bitstreams.resource(H264_720P), Codec.H264).stream()
            .map(Bitstreams::lengthPrefixed)
            .toList();
    assertEquals(
        assembleAll(
            new AccessUnitAssembler(Codec.H264, 0, 90_000),
            Bitstreams.annexBPackets(H264_720P, Codec.H264)),
        assembleAll(new AccessUnitAssembler(Codec.H264, 0, 90_000), lengthPrefixed));
  }

  @Test
  void lengthPrefixThatLooksLikeAThreeByteStartCodeIsStillALength() {
    byte[] slice = new byte[300]; // length 0x0000012C starts with 00 00 01
    Arrays.fill(slice, (byte) 0x5A);
    slice[0] = 0x41; // non-IDR slice
    byte[] packet = Bitstreams.lengthPrefixed(List.of(slice));
    assertTrue(AnnexB.startsWithStartCode(packet));
    AccessUnit au =
        new AccessUnitAssembler(Codec.H264, 0, 90_000).assemble(packet, 0, 0).orElseThrow();
    assertArrayEquals(AnnexB.join(List.of(slice)), au.data());
  }

  @Test
  void parameterSetOnlyPacketsAreKeptForTheNextKeyframeAndTheirSeiCarried() {
    List<List<byte[]>> nals = Bitstreams.accessUnits(Bitstreams.resource(H264_720P), Codec.H264);
    List<byte[]> first = nals.get(0); // AUD, SPS, PPS, SEI, IDR
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);

    assertTrue(
        assembler.assemble(AnnexB.join(first.subList(0, 4)), 0, 0).isEmpty(),
        "no picture, no access unit");
    assertEquals(1280, assembler.format().orElseThrow().width(), "SPS already parsed");
    AccessUnit idr = assembler.assemble(AnnexB.join(first.subList(4, 5)), 0, 0).orElseThrow();

    assertTrue(idr.keyframe());
    assertEquals(List.of(7, 8, 6, 5), h264Types(idr), "parameter sets first, then the carried SEI");
    assertArrayEquals(AnnexB.join(List.of(SPS_720P, PPS_720P)), idr.codecConfig());
    assertArrayEquals(AnnexB.join(List.of(first.get(3))), seiOf(idr));
  }

  @Test
  void keyframeWithoutAnyParameterSetIsStillEmittedWithoutConfig() {
    byte[] idr = Bitstreams.firstH264(H264_720P, H264NalType.IDR_SLICE);
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    AccessUnit au = assembler.assemble(AnnexB.join(List.of(idr)), 0, 0).orElseThrow();
    assertTrue(au.keyframe());
    assertNull(au.codecConfig());
    assertArrayEquals(AnnexB.join(List.of(idr)), au.data());
    assertTrue(assembler.lastKeyframeChangedConfig());
    assertTrue(assembler.format().isEmpty());
  }

  @Test
  void keyframeIsDecidedFromNalTypes() {
    List<byte[]> packets = Bitstreams.annexBPackets(H264_720P, Codec.H264);
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    assertTrue(assembler.assemble(packets.get(0), 0, 0).orElseThrow().keyframe());
    assertFalse(assembler.assemble(packets.get(1), 0, 0).orElseThrow().keyframe());
  }

  @Test
  void resolutionChangeIsDetectedAtTheNextKeyframe() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    List<byte[]> low = Bitstreams.annexBPackets(H264_240P, Codec.H264);
    List<byte[]> high = Bitstreams.annexBPackets(H264_720P, Codec.H264);
    long pts = 0;
    for (byte[] packet : low) {
      assembler.assemble(packet, pts += FRAME, Long.MIN_VALUE);
    }
    assertFalse(assembler.lastKeyframeChangedConfig());
    assertEquals(
        new VideoFormat(Codec.H264, 320, 240, 15.0, "avc1.42c00c"),
        assembler.format().orElseThrow());

    AccessUnit switched =
        assembler.assemble(high.get(0), pts + FRAME, Long.MIN_VALUE).orElseThrow();
    assertTrue(switched.keyframe());
    assertTrue(assembler.lastKeyframeChangedConfig());
    assertArrayEquals(
        AnnexB.join(List.of(SPS_720P, PPS_720P)),
        switched.codecConfig(),
        "same ids: old sets replaced");
    assertEquals(1280, assembler.format().orElseThrow().width());
  }

  @Test
  void inBandParameterSetsReplaceOutOfBandOnesWithTheSameId() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    assembler.setOutOfBandParameterSets(
        AnnexB.join(
            List.of(
                Bitstreams.firstH264(H264_240P, H264NalType.SPS),
                Bitstreams.firstH264(H264_240P, H264NalType.PPS))));
    assertEquals(320, assembler.format().orElseThrow().width());
    AccessUnit au =
        assembler
            .assemble(Bitstreams.annexBPackets(H264_720P, Codec.H264).get(0), 0, 0)
            .orElseThrow();
    assertArrayEquals(AnnexB.join(List.of(SPS_720P, PPS_720P)), au.codecConfig());
    assertEquals(1280, assembler.format().orElseThrow().width());
  }

  @Test
  void parameterSetsOnANonKeyframeStayWhereTheEncoderPutThem() {
    byte[] pSlice = Bitstreams.firstH264(H264_720P, H264NalType.NON_IDR_SLICE);
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    AccessUnit au = assembler.assemble(AnnexB.join(List.of(PPS_720P, pSlice)), 0, 0).orElseThrow();
    assertFalse(au.keyframe());
    assertEquals(List.of(8, 1), h264Types(au));
    assertNull(au.codecConfig());
  }

  @Test
  void timestampsPassThroughAndUnknownOnesDefault() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 2, 90_000);
    byte[] packet = Bitstreams.annexBPackets(H264_720P, Codec.H264).get(0);
    AccessUnit au = assembler.assemble(packet, 7200, 3600).orElseThrow();
    assertEquals(2, au.track());
    assertEquals(7200, au.pts());
    assertEquals(3600, au.dts());
    AccessUnit unknownPts = assembler.assemble(packet, Long.MIN_VALUE, 3600).orElseThrow();
    assertEquals(3600, unknownPts.pts());
  }

  @Test
  void malformedSpsLeavesThePreviousFormat() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    assembler.setOutOfBandParameterSets(AnnexB.join(List.of(SPS_720P, PPS_720P)));
    byte[] truncated = Arrays.copyOf(SPS_720P, 6); // id still readable, size not
    byte[] idr = Bitstreams.firstH264(H264_720P, H264NalType.IDR_SLICE);
    AccessUnit au = assembler.assemble(AnnexB.join(List.of(truncated, idr)), 0, 0).orElseThrow();
    assertTrue(au.keyframe());
    assertEquals(1280, assembler.format().orElseThrow().width());
    // the camera's own (broken) SPS is what it will be decoded with, so it is what gets forwarded
    assertEquals(List.of(7, 8, 5), h264Types(au));
  }

  @Test
  void garbageNeverThrows() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    assertTrue(assembler.assemble(new byte[0], 0, 0).isEmpty());
    assertTrue(assembler.assemble(new byte[] {0, 0, 1}, 0, 0).isEmpty());
    assertTrue(
        assembler.assemble(new byte[] {0, 0, 0, 1, (byte) 0x85, 1, 2}, 0, 0).isEmpty(),
        "forbidden bit");
    assertTrue(
        assembler.assemble(new byte[] {0, 0, 0, 9, 0x65}, 0, 0).isEmpty(),
        "truncated length prefix");
    assertTrue(assembler.assemble(new byte[] {0, 0, 1, 0x67}, 0, 0).isEmpty(), "header-only SPS");
    assertTrue(
        assembler.assemble(new byte[] {0, 0, 1, 0x68, (byte) 0x00, 0, 0, 0}, 0, 0).isEmpty());
    assertTrue(assembler.format().isEmpty());
  }

  @Test
  void rejectsUnusableExtradataAndCodecs() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> assembler.setOutOfBandParameterSets(new byte[] {0x55, 1, 2}));
    assertEquals(
        "h264 extradata is neither Annex-B nor a decoder configuration record (first byte 0x55)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> assembler.setOutOfBandParameterSets(new byte[] {1, 0x64}));
    assembler.setOutOfBandParameterSets(new byte[0]);
    assertThrows(
        IllegalArgumentException.class, () -> new AccessUnitAssembler(Codec.AAC, 0, 90_000));
    assertThrows(IllegalArgumentException.class, () -> new AccessUnitAssembler(Codec.H264, 0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new AccessUnitAssembler(Codec.H264, -1, 90_000));
  }

  // ffprobe -v error -show_packets h265_720p25.h265: 25 packets, flags=K on packets 0, 9 and 18
  // (decode
  // order: x265's open GOPs put each CRA before the RASL pictures that precede it in display order)
  @Test
  void h265IrapPicturesAreKeyframesWithVpsSpsPps() {
    AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H265, 0, 90_000);
    List<AccessUnit> units =
        assembleAll(assembler, Bitstreams.annexBPackets(H265_720P, Codec.H265));
    assertEquals(25, units.size());
    assertEquals(List.of(0, 9, 18), keyframeIndexes(units));
    byte[] config =
        AnnexB.join(
            List.of(
                Bitstreams.firstH265(H265_720P, H265NalType.VPS),
                Bitstreams.firstH265(H265_720P, H265NalType.SPS),
                Bitstreams.firstH265(H265_720P, H265NalType.PPS)));
    for (AccessUnit au : units) {
      List<Integer> types = h265Types(au);
      if (au.keyframe()) {
        assertEquals(List.of(32, 33, 34, 39), types.subList(0, 4));
        assertTrue(H265NalType.isIrap(types.get(4)), types.toString());
        assertArrayEquals(config, au.codecConfig());
      } else {
        assertFalse(types.stream().anyMatch(H265NalType::isIrap), types.toString());
      }
    }
    assertEquals(
        List.of(20, 21, 21),
        units.stream().filter(AccessUnit::keyframe).map(au -> h265Types(au).get(4)).toList());
    assertEquals(
        Optional.of(new VideoFormat(Codec.H265, 1280, 720, 25.0, "hvc1.1.6.L93.90")),
        assembler.format());
  }

  @Test
  void h265HvcCExtradataWithLengthPrefixedPackets() {
    List<byte[]> stripped =
        Bitstreams.accessUnits(Bitstreams.resource(H265_720P), Codec.H265).stream()
            .map(
                nals ->
                    nals.stream()
                        .filter(n -> !H265NalType.isParameterSet(H265NalType.type(n)))
                        .toList())
            .map(Bitstreams::lengthPrefixed)
            .toList();
    AccessUnitAssembler fromHvcC = new AccessUnitAssembler(Codec.H265, 0, 90_000);
    fromHvcC.setOutOfBandParameterSets(Bitstreams.resource("h265_720p25.hvcC"));
    AccessUnitAssembler inBand = new AccessUnitAssembler(Codec.H265, 0, 90_000);
    assertEquals(
        assembleAll(inBand, Bitstreams.annexBPackets(H265_720P, Codec.H265)),
        assembleAll(fromHvcC, stripped));
  }

  @Test
  void h265AudIsStripped() {
    byte[] aud = {0x46, 0x01, 0x50};
    byte[] idr = Bitstreams.firstNal(H265_720P, n -> H265NalType.isIrap(H265NalType.type(n)));
    AccessUnit au =
        new AccessUnitAssembler(Codec.H265, 0, 90_000)
            .assemble(AnnexB.join(List.of(aud, idr)), 0, 0)
            .orElseThrow();
    assertEquals(List.of(20), h265Types(au));
    assertTrue(au.keyframe());
  }

  private static List<AccessUnit> assembleAll(AccessUnitAssembler assembler, List<byte[]> packets) {
    List<AccessUnit> units = new ArrayList<>();
    long pts = 0;
    for (byte[] packet : packets) {
      assembler.assemble(packet, pts += FRAME, Long.MIN_VALUE).ifPresent(units::add);
    }
    return units;
  }

  private static List<Integer> keyframeIndexes(List<AccessUnit> units) {
    return IntStream.range(0, units.size()).filter(i -> units.get(i).keyframe()).boxed().toList();
  }

  private static List<Integer> h264Types(AccessUnit au) {
    return AnnexB.split(au.data()).stream().map(H264NalType::type).toList();
  }

  private static List<Integer> h265Types(AccessUnit au) {
    return AnnexB.split(au.data()).stream().map(H265NalType::type).toList();
  }

  private static byte[] seiOf(AccessUnit au) {
    return AnnexB.join(
        AnnexB.split(au.data()).stream()
            .filter(n -> H264NalType.type(n) == H264NalType.SEI)
            .toList());
  }
}
