package io.camflow.media.rtp;

import static io.camflow.media.rtp.RtpPackets.depacketize;
import static io.camflow.media.rtp.RtpPackets.packet;
import static io.camflow.media.rtp.RtpPackets.stamp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.testing.Bitstreams;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class H265DepacketizerTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] VPS = HEX.parseHex("40010c01");
  private static final byte[] SPS = HEX.parseHex("42010101");
  private static final byte[] PPS = HEX.parseHex("4401c172");
  private static final byte[] TRAIL = HEX.parseHex("0201d0");

  @Test
  void theParameterSetsOfAnApComeBackInOrderBeforeAFragmentedIdr() {
    byte[] idr = nal(new Random(1), H265NalType.IDR_W_RADL, 40_000);
    List<RtpPayload> payloads =
        new H265Packetizer().packetize(List.of(VPS, SPS, PPS, idr), List.of());
    assertEquals(H265Packetizer.AP, (payloads.get(0).data()[0] >> 1) & 0x3F);
    assertEquals(H265Packetizer.FU, (payloads.get(1).data()[0] >> 1) & 0x3F);
    List<ReceivedFrame> frames = roundTrip(List.of(List.of(VPS, SPS, PPS, idr)));
    assertEquals(1, frames.size());
    assertArrayEquals(AnnexB.join(List.of(VPS, SPS, PPS, idr)), frames.get(0).data());
    assertFalse(frames.get(0).damaged());
  }

  @Test
  void fragmentsKeepTheNalHeadersLayerIdAndTid() {
    Random random = new Random(7798);
    List<List<byte[]>> units = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] nal =
          nal(random, random.nextBoolean() ? H265NalType.CRA : 1, 1 + random.nextInt(5000));
      nal[0] |= (byte) random.nextInt(2); // LayerId's high bit
      units.add(List.of(nal));
    }
    List<ReceivedFrame> frames = roundTrip(units);
    for (int i = 0; i < units.size(); i++) {
      assertArrayEquals(AnnexB.join(units.get(i)), frames.get(i).data(), "frame " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h265_720p25.h265", "h265_564p30_main10.h265"})
  void realStreamsComeBackAcrossBothWraps(String resource) {
    List<List<byte[]>> units = Bitstreams.accessUnits(Bitstreams.resource(resource), Codec.H265);
    H265Packetizer packetizer = new H265Packetizer();
    RtpStamper stamper = new RtpStamper(96, 7, 65_530, 0x1_0000_0000L - 50_000);
    List<RtpPacket> packets = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      packets.addAll(stamp(stamper, packetizer.packetize(units.get(i), List.of()), i * 3600L));
    }
    List<ReceivedFrame> frames = depacketize(new H265Depacketizer(), packets);
    assertEquals(units.size(), frames.size());
    for (int i = 0; i < units.size(); i++) {
      assertEquals(0x1_0000_0000L - 50_000 + i * 3600L, frames.get(i).timestamp());
      assertArrayEquals(
          AnnexB.join(H265PacketizerTest.withoutDroppedTypes(units.get(i))), frames.get(i).data());
      assertFalse(frames.get(i).damaged());
    }
  }

  @Test
  void aLostFragmentDropsItsNalUnitAndDamagesTheFrame() {
    byte[] idr = nal(new Random(2), H265NalType.IDR_W_RADL, 5000);
    List<RtpPacket> packets = packets(List.of(List.of(VPS, SPS, PPS, idr), List.of(TRAIL)));
    packets.remove(3); // AP, FU x 5, TRAIL: the third FU
    List<ReceivedFrame> frames = depacketize(new H265Depacketizer(), packets);
    assertArrayEquals(AnnexB.join(List.of(VPS, SPS, PPS)), frames.get(0).data());
    assertTrue(frames.get(0).damaged());
    assertArrayEquals(AnnexB.join(List.of(TRAIL)), frames.get(1).data());
    assertFalse(frames.get(1).damaged());
  }

  @Test
  void aFrameAboveTheLimitIsDroppedAndReportedDamaged() {
    byte[] idr = nal(new Random(3), H265NalType.IDR_W_RADL, 20_000);
    List<ReceivedFrame> frames =
        depacketize(new H265Depacketizer(10_000), packets(List.of(List.of(idr), List.of(TRAIL))));
    assertEquals(0, frames.get(0).data().length);
    assertTrue(frames.get(0).damaged());
    assertFalse(frames.get(1).damaged());
  }

  @Test
  void malformedPayloadsAreRefusedAndCountAsLost() {
    List<String> malformed =
        List.of(
            "", // empty
            "02", // shorter than the payload header
            "6001", // AP without NAL units
            "600100", // AP: a size cut off
            "6001000402", // AP: size 4, one byte left
            "6001000102", // AP: a NAL unit of one byte
            "6001000262010001", // AP carrying an FU
            "6201", // FU without its FU header
            "6201d301", // FU with start and end
            "6201b101", // FU of type 49
            "6401", // PACI
            "6e01", // type 55, reserved
            "7e01"); // type 63, reserved
    H265Depacketizer depacketizer = new H265Depacketizer();
    int sequenceNumber = 0;
    for (String payload : malformed) {
      int before = sequenceNumber++;
      assertFalse(depacketizer.push(packet(before, before * 3600L, true, TRAIL)).get(0).damaged());
      int bad = sequenceNumber++;
      assertThrows(
          MalformedRtpException.class,
          () -> depacketizer.push(packet(bad, bad * 3600L, true, HEX.parseHex(payload))),
          payload);
      int after = sequenceNumber++;
      List<ReceivedFrame> frames = depacketizer.push(packet(after, after * 3600L, true, TRAIL));
      assertArrayEquals(AnnexB.join(List.of(TRAIL)), frames.get(0).data(), payload);
      assertTrue(frames.get(0).damaged(), "the refused packet counts as lost: " + payload);
    }
  }

  @Test
  void anApWithOneNalUnitIsTaken() {
    byte[] ap = HEX.parseHex("6001" + "0003" + "0201d0");
    assertArrayEquals(
        AnnexB.join(List.of(TRAIL)),
        new H265Depacketizer().push(packet(0, 0, true, ap)).get(0).data());
  }

  private static List<ReceivedFrame> roundTrip(List<List<byte[]>> units) {
    return depacketize(new H265Depacketizer(), packets(units));
  }

  private static List<RtpPacket> packets(List<List<byte[]>> units) {
    H265Packetizer packetizer = new H265Packetizer();
    RtpStamper stamper = new RtpStamper(96, 7, 0, 0);
    List<RtpPacket> packets = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      packets.addAll(stamp(stamper, packetizer.packetize(units.get(i), List.of()), i * 3600L));
    }
    return packets;
  }

  private static byte[] nal(Random random, int type, int size) {
    byte[] nal = new byte[Math.max(size, 3)];
    random.nextBytes(nal);
    nal[0] = (byte) (type << 1);
    nal[1] = (byte) ((random.nextInt(32) << 3) | (1 + random.nextInt(7))); // LayerId, TID 1..7
    if (nal[nal.length - 1] == 0) {
      nal[nal.length - 1] = 1;
    }
    return nal;
  }
}
