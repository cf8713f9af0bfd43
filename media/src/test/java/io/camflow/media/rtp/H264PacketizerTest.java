package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.testing.Bitstreams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class H264PacketizerTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SPS = HEX.parseHex("6742c01e");
  private static final byte[] PPS = HEX.parseHex("68ce3c80");
  private static final byte[] IDR = HEX.parseHex("6588840021");
  private static final byte[] P_SLICE = HEX.parseHex("419a0102");

  @Test
  void smallNalUnitTravelsAsItIs() {
    List<RtpPayload> payloads = new H264Packetizer().packetize(List.of(P_SLICE), List.of());
    assertEquals(1, payloads.size());
    assertArrayEquals(P_SLICE, payloads.get(0).data());
    assertTrue(payloads.get(0).marker());
  }

  @Test
  void parameterSetsGoInOneStapABeforeTheIdr() {
    List<RtpPayload> payloads = new H264Packetizer().packetize(List.of(SPS, PPS, IDR), List.of());
    assertEquals(2, payloads.size());
    // STAP-A header: F=0, NRI=3 (max of the aggregated), type 24; then 16-bit size + NAL each
    assertEquals(
        "78" + "0004" + "6742c01e" + "0004" + "68ce3c80", HEX.formatHex(payloads.get(0).data()));
    assertFalse(payloads.get(0).marker());
    assertArrayEquals(IDR, payloads.get(1).data());
    assertTrue(payloads.get(1).marker());
  }

  @Test
  void stapAKeepsTheHighestNriAndAnyForbiddenBit() {
    byte[] lowSps = HEX.parseHex("2742c01e"); // NRI 1
    byte[] midPps = HEX.parseHex("48ce3c80"); // NRI 2
    assertEquals(
        "58",
        HEX.formatHex(
            new H264Packetizer().packetize(List.of(lowSps, midPps, IDR), List.of()).get(0).data(),
            0,
            1));
  }

  @Test
  void idrWithoutParameterSetsGetsThemFromTheCodecConfiguration() {
    List<RtpPayload> payloads = new H264Packetizer().packetize(List.of(IDR), List.of(SPS, PPS));
    assertEquals(
        "78" + "0004" + "6742c01e" + "0004" + "68ce3c80", HEX.formatHex(payloads.get(0).data()));
    assertArrayEquals(IDR, payloads.get(1).data());
  }

  @Test
  void idrWithoutAnyParameterSetsGetsTheLastOnesSeen() {
    H264Packetizer packetizer = new H264Packetizer();
    packetizer.packetize(List.of(SPS, PPS, IDR), List.of());
    assertEquals(
        1,
        packetizer.packetize(List.of(P_SLICE), List.of()).size(),
        "no parameter sets before P slices");
    List<RtpPayload> payloads = packetizer.packetize(List.of(IDR), List.of());
    assertEquals(2, payloads.size());
    assertEquals(24, payloads.get(0).data()[0] & 0x1F);
  }

  @Test
  void idrWithOnlyAnSpsGetsTheRestFromTheCodecConfiguration() {
    byte[] newSps = HEX.parseHex("6742c01f");
    List<RtpPayload> payloads =
        new H264Packetizer().packetize(List.of(newSps, IDR), List.of(SPS, PPS));
    // the configuration first, the in-band SPS after it so that it wins
    assertEquals(
        "78" + "0004" + "6742c01e" + "0004" + "68ce3c80" + "0004" + "6742c01f",
        HEX.formatHex(payloads.get(0).data()));
  }

  @Test
  void firstIdrWithNoParameterSetsAnywhereStillGoesOut() {
    List<RtpPayload> payloads = new H264Packetizer().packetize(List.of(IDR), List.of());
    assertEquals(1, payloads.size());
    assertArrayEquals(IDR, payloads.get(0).data());
  }

  @Test
  void delimitersFillerAndAggregationTypesAreDropped() {
    byte[] aud = HEX.parseHex("09f0");
    byte[] filler = HEX.parseHex("0cffffff80");
    byte[] sei = HEX.parseHex("06050102");
    byte[] type0 = HEX.parseHex("0011");
    byte[] type24 = HEX.parseHex("1811");
    byte[] type30 = HEX.parseHex("1e11");
    List<RtpPayload> payloads =
        new H264Packetizer()
            .packetize(List.of(aud, sei, type0, P_SLICE, type24, filler, type30), List.of());
    assertEquals(
        List.of("06050102", "419a0102"),
        payloads.stream().map(p -> HEX.formatHex(p.data())).toList());
  }

  @Test
  void largeNalUnitIsSplitIntoFuAWithStartAndEndBits() {
    byte[] nal = new byte[2500];
    new Random(5).nextBytes(nal);
    nal[0] = 0x65; // NRI 3, IDR
    List<RtpPayload> payloads = new H264Packetizer(1200).packetize(List.of(nal), List.of());
    assertEquals(3, payloads.size());
    // 2499 body bytes in 3 equal fragments of 833, each with 2 bytes of FU indicator + header
    for (RtpPayload p : payloads) {
      assertEquals(835, p.data().length);
      assertEquals(0x7C, p.data()[0] & 0xFF, "FU indicator: NRI 3, type 28");
    }
    assertEquals(0x85, payloads.get(0).data()[1] & 0xFF, "S=1, type 5");
    assertEquals(0x05, payloads.get(1).data()[1] & 0xFF, "no S, no E");
    assertEquals(0x45, payloads.get(2).data()[1] & 0xFF, "E=1, type 5");
    assertEquals(List.of(false, false, true), payloads.stream().map(RtpPayload::marker).toList());
    assertArrayEquals(
        Arrays.copyOfRange(nal, 1, 834), Arrays.copyOfRange(payloads.get(0).data(), 2, 835));
  }

  @Test
  void nalUnitOfExactlyTheLimitIsNotFragmented() {
    byte[] nal = new byte[1200];
    nal[0] = 0x41;
    assertEquals(1, new H264Packetizer(1200).packetize(List.of(nal), List.of()).size());
    byte[] oneMore = new byte[1201];
    oneMore[0] = 0x41;
    // 1200 body bytes: two FU-A of 600 + 2
    List<RtpPayload> split = new H264Packetizer(1200).packetize(List.of(oneMore), List.of());
    assertEquals(List.of(602, 602), split.stream().map(p -> p.data().length).toList());
  }

  @Test
  void parameterSetsTooLargeForOneStapAGoSeparately() {
    byte[] bigSps = new byte[700];
    bigSps[0] = 0x67;
    byte[] bigPps = new byte[600];
    bigPps[0] = 0x68;
    List<RtpPayload> payloads =
        new H264Packetizer(1200).packetize(List.of(bigSps, bigPps, IDR), List.of());
    assertEquals(List.of(7, 8, 5), payloads.stream().map(p -> p.data()[0] & 0x1F).toList());
  }

  @Test
  void everyPayloadFitsAndEverythingComesBack() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int max = 100 + random.nextInt(1400);
      H264Packetizer packetizer = new H264Packetizer(max);
      List<byte[]> nalUnits = new ArrayList<>();
      nalUnits.add(randomNal(random, H264NalType.SPS, 4 + random.nextInt(max)));
      nalUnits.add(randomNal(random, H264NalType.PPS, 2 + random.nextInt(max)));
      for (int i = random.nextInt(5); i >= 0; i--) {
        nalUnits.add(randomNal(random, H264NalType.IDR_SLICE, 1 + random.nextInt(6000)));
      }
      List<RtpPayload> payloads = packetizer.packetize(nalUnits, List.of());
      for (RtpPayload p : payloads) {
        assertTrue(p.data().length <= max, () -> p + " exceeds " + max);
      }
      assertEquals(payloads.size() - 1, payloads.stream().filter(p -> !p.marker()).count());
      assertTrue(payloads.get(payloads.size() - 1).marker());
      assertNalUnitsEqual(nalUnits, depacketize(List.of(payloads)).get(0).nalUnits());
    }
  }

  @Test
  void convertsPresentationTimeTo90kHz() {
    AccessUnit au =
        new AccessUnit(0, Codec.H264, 1001, 0, 30_000, false, AnnexB.join(List.of(P_SLICE)), null);
    RtpFrame frame = new H264Packetizer().packetize(au);
    assertEquals(3003, frame.timestamp());
    assertFalse(frame.keyframe());
  }

  @Test
  void refusesOtherCodecsAndTinyLimits() {
    AccessUnit h265 =
        new AccessUnit(0, Codec.H265, 0, 0, 90_000, true, new byte[] {0, 0, 1, 0x40}, null);
    assertThrows(IllegalArgumentException.class, () -> new H264Packetizer().packetize(h265));
    assertThrows(IllegalArgumentException.class, () -> new H264Packetizer(99));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "h264_720p25_aud.h264",
        "h264_1080p30_cqm.h264",
        "h264_240p15_baseline.h264",
        "h264_768p10_444.h264",
        "h264_1080i25_422.h264"
      })
  void realStreamsRoundTripThroughAnIndependentDepacketizer(String resource) {
    List<List<byte[]>> accessUnits =
        Bitstreams.accessUnits(Bitstreams.resource(resource), Codec.H264);
    H264Packetizer packetizer = new H264Packetizer();
    List<List<RtpPayload>> frames = new ArrayList<>();
    for (List<byte[]> au : accessUnits) {
      frames.add(packetizer.packetize(au, List.of()));
    }
    List<StrictH264Receiver.Unit> units = depacketize(frames);
    assertEquals(accessUnits.size(), units.size());
    for (int i = 0; i < units.size(); i++) {
      assertNalUnitsEqual(withoutDroppedTypes(accessUnits.get(i)), units.get(i).nalUnits());
    }
  }

  /** What a receiver should get back: the access unit without delimiters and filler. */
  static List<byte[]> withoutDroppedTypes(List<byte[]> accessUnit) {
    return accessUnit.stream()
        .filter(
            n ->
                H264NalType.type(n) != H264NalType.AUD && H264NalType.type(n) != H264NalType.FILLER)
        .toList();
  }

  static void assertNalUnitsEqual(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(
        expected.stream().map(HEX::formatHex).toList(),
        actual.stream().map(HEX::formatHex).toList());
  }

  private static List<StrictH264Receiver.Unit> depacketize(List<List<RtpPayload>> frames) {
    RtpStamper stamper = new RtpStamper(96, 1234, 65_000, 0);
    StrictH264Receiver depacketizer = new StrictH264Receiver();
    for (int i = 0; i < frames.size(); i++) {
      for (RtpPayload p : frames.get(i)) {
        depacketizer.accept(RtpPacket.parse(stamper.stamp(p, i * 3000L)));
      }
    }
    return depacketizer.units();
  }

  private static byte[] randomNal(Random random, int type, int size) {
    byte[] nal = new byte[size];
    random.nextBytes(nal);
    nal[0] = (byte) ((random.nextInt(4) << 5) | type);
    return nal;
  }
}
