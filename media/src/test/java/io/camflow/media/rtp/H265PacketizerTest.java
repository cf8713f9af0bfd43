package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.testing.Bitstreams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class H265PacketizerTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] VPS = HEX.parseHex("40010c01");
  private static final byte[] SPS = HEX.parseHex("42010101");
  private static final byte[] PPS = HEX.parseHex("4401c172");
  private static final byte[] IDR = HEX.parseHex("2601af0920"); // IDR_W_RADL, TID 1
  private static final byte[] TRAIL = HEX.parseHex("0201d0");

  @Test
  void parameterSetsGoInOneAggregationPacketBeforeTheIrap() {
    List<RtpPayload> payloads =
        new H265Packetizer().packetize(List.of(VPS, SPS, PPS, IDR), List.of());
    assertEquals(2, payloads.size());
    // payload header: type 48, LayerId 0, TID 1 → 60 01; then 16-bit size + NAL each
    assertEquals(
        "6001" + "0004" + "40010c01" + "0004" + "42010101" + "0004" + "4401c172",
        HEX.formatHex(payloads.get(0).data()));
    assertArrayEquals(IDR, payloads.get(1).data());
    assertEquals(List.of(false, true), payloads.stream().map(RtpPayload::marker).toList());
  }

  @Test
  void irapWithoutParameterSetsGetsThemFromTheCodecConfiguration() {
    H265Packetizer packetizer = new H265Packetizer();
    List<RtpPayload> payloads = packetizer.packetize(List.of(IDR), List.of(VPS, SPS, PPS));
    assertEquals(48, (payloads.get(0).data()[0] >> 1) & 0x3F);
    assertEquals(1, packetizer.packetize(List.of(TRAIL), List.of()).size());
    assertEquals(2, packetizer.packetize(List.of(IDR), List.of()).size(), "the last ones seen");
  }

  @Test
  void delimitersFillerAndReservedTypesAreDropped() {
    byte[] aud = HEX.parseHex("460150");
    byte[] filler = HEX.parseHex("4c01ffff");
    byte[] type48 = HEX.parseHex("6001aa");
    byte[] prefixSei = HEX.parseHex("4e0105");
    List<RtpPayload> payloads =
        new H265Packetizer().packetize(List.of(aud, prefixSei, TRAIL, type48, filler), List.of());
    assertEquals(
        List.of("4e0105", "0201d0"), payloads.stream().map(p -> HEX.formatHex(p.data())).toList());
  }

  @Test
  void largeNalUnitIsSplitIntoFragmentationUnits() {
    byte[] nal = new byte[2400];
    new Random(7).nextBytes(nal);
    nal[0] = 0x26; // IDR_W_RADL
    nal[1] = 0x01;
    List<RtpPayload> payloads = new H265Packetizer(1200).packetize(List.of(nal), List.of());
    // 2398 body bytes, 1197 per FU at most → 3 FUs of 800/799/799 + 3 header bytes
    assertEquals(List.of(803, 802, 802), payloads.stream().map(p -> p.data().length).toList());
    for (RtpPayload p : payloads) {
      assertEquals(
          "6201", HEX.formatHex(p.data(), 0, 2), "payload header: type 49, LayerId 0, TID 1");
    }
    assertEquals(
        List.of(0x93, 0x13, 0x53),
        payloads.stream().map(p -> p.data()[2] & 0xFF).toList(),
        "FU header: S, -, E with FuType 19");
    assertArrayEquals(
        Arrays.copyOfRange(nal, 2, 802), Arrays.copyOfRange(payloads.get(0).data(), 3, 803));
  }

  @Test
  void everyPayloadFitsAndEverythingComesBack() {
    Random random = new Random(43);
    for (int round = 0; round < 300; round++) {
      int max = 100 + random.nextInt(1400);
      List<byte[]> nalUnits = new ArrayList<>();
      nalUnits.add(nal(random, H265NalType.VPS, 3 + random.nextInt(max)));
      nalUnits.add(nal(random, H265NalType.SPS, 3 + random.nextInt(max)));
      nalUnits.add(nal(random, H265NalType.PPS, 3 + random.nextInt(max)));
      for (int i = random.nextInt(4); i >= 0; i--) {
        nalUnits.add(nal(random, H265NalType.CRA, 3 + random.nextInt(6000)));
      }
      List<RtpPayload> payloads = new H265Packetizer(max).packetize(nalUnits, List.of());
      payloads.forEach(p -> assertTrue(p.data().length <= max, () -> p + " exceeds " + max));
      assertEquals(1, payloads.stream().filter(RtpPayload::marker).count());
      H264PacketizerTest.assertNalUnitsEqual(nalUnits, depacketize(List.of(payloads)).get(0));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h265_720p25.h265", "h265_564p30_main10.h265"})
  void realStreamsRoundTripThroughAnIndependentDepacketizer(String resource) {
    List<List<byte[]>> accessUnits =
        Bitstreams.accessUnits(Bitstreams.resource(resource), Codec.H265);
    H265Packetizer packetizer = new H265Packetizer();
    List<List<RtpPayload>> frames = new ArrayList<>();
    for (List<byte[]> au : accessUnits) {
      frames.add(packetizer.packetize(au, List.of()));
    }
    List<List<byte[]>> units = depacketize(frames);
    assertEquals(accessUnits.size(), units.size());
    for (int i = 0; i < units.size(); i++) {
      H264PacketizerTest.assertNalUnitsEqual(withoutDroppedTypes(accessUnits.get(i)), units.get(i));
    }
  }

  @Test
  void refusesOtherCodecs() {
    AccessUnit h264 =
        new AccessUnit(0, Codec.H264, 0, 0, 90_000, true, AnnexB.join(List.of(TRAIL)), null);
    assertThrows(IllegalArgumentException.class, () -> new H265Packetizer().packetize(h264));
  }

  static List<byte[]> withoutDroppedTypes(List<byte[]> accessUnit) {
    return accessUnit.stream()
        .filter(
            n ->
                H265NalType.type(n) != H265NalType.AUD && H265NalType.type(n) != H265NalType.FILLER)
        .toList();
  }

  private static List<List<byte[]>> depacketize(List<List<RtpPayload>> frames) {
    RtpStamper stamper = new RtpStamper(96, 99, 0, 0);
    StrictH265Receiver depacketizer = new StrictH265Receiver();
    for (int i = 0; i < frames.size(); i++) {
      for (RtpPayload p : frames.get(i)) {
        depacketizer.accept(RtpPacket.parse(stamper.stamp(p, i * 3600L)));
      }
    }
    return depacketizer.units();
  }

  private static byte[] nal(Random random, int type, int size) {
    byte[] nal = new byte[size];
    random.nextBytes(nal);
    nal[0] = (byte) (type << 1);
    nal[1] = (byte) (1 + random.nextInt(7)); // LayerId 0, TID 1..7
    return nal;
  }
}
