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
import io.camflow.media.testing.Bitstreams;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class H264DepacketizerTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SPS = HEX.parseHex("6742c01e");
  private static final byte[] PPS = HEX.parseHex("68ce3c80");
  private static final byte[] SEI = HEX.parseHex("06050102");
  private static final byte[] P_SLICE = HEX.parseHex("419a0102");

  @Test
  void aSingleNalUnitComesBackAsAnnexB() {
    List<ReceivedFrame> frames = roundTrip(List.of(List.of(P_SLICE)));
    assertEquals(1, frames.size());
    assertEquals("00000001419a0102", HEX.formatHex(frames.get(0).data()));
    assertFalse(frames.get(0).damaged());
  }

  @Test
  void theParameterSetsOfAStapAComeBackInOrderBeforeAFragmentedIdr() {
    byte[] idr = nal(new Random(1), 5, 50_000);
    List<RtpPayload> payloads = new H264Packetizer().packetize(List.of(SPS, PPS, idr), List.of());
    assertEquals(H264Packetizer.STAP_A, payloads.get(0).data()[0] & 0x1F);
    assertTrue(payloads.size() > 40, "the IDR travels in FU-A");
    List<ReceivedFrame> frames = roundTrip(List.of(List.of(SPS, PPS, idr)));
    assertEquals(1, frames.size());
    assertArrayEquals(AnnexB.join(List.of(SPS, PPS, idr)), frames.get(0).data());
    assertFalse(frames.get(0).damaged());
  }

  @Test
  void randomAccessUnitsComeBackByteForByte() {
    Random random = new Random(6184);
    List<List<byte[]>> units = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      List<byte[]> unit = new ArrayList<>();
      for (int n = 1 + random.nextInt(4); n > 0; n--) {
        // slices, IDR slices and SEI: nothing the packetizer would move or drop
        unit.add(nal(random, new int[] {1, 5, 6}[random.nextInt(3)], 1 + random.nextInt(4000)));
      }
      units.add(unit);
    }
    List<ReceivedFrame> frames = roundTrip(units);
    assertEquals(units.size(), frames.size());
    for (int i = 0; i < units.size(); i++) {
      assertArrayEquals(AnnexB.join(units.get(i)), frames.get(i).data(), "frame " + i);
    }
  }

  /** Sequence numbers from 65 530 and timestamps from 2^32 - 50 000: both wrap early on. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "h264_720p25_aud.h264",
        "h264_1080p30_cqm.h264",
        "h264_240p15_baseline.h264",
        "h264_768p10_444.h264",
        "h264_1080i25_422.h264"
      })
  void realStreamsComeBackAcrossBothWraps(String resource) {
    List<List<byte[]>> units = Bitstreams.accessUnits(Bitstreams.resource(resource), Codec.H264);
    H264Packetizer packetizer = new H264Packetizer();
    RtpStamper stamper = new RtpStamper(96, 7, 65_530, 0x1_0000_0000L - 50_000);
    List<RtpPacket> packets = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      packets.addAll(stamp(stamper, packetizer.packetize(units.get(i), List.of()), i * 3000L));
    }
    List<ReceivedFrame> frames = depacketize(new H264Depacketizer(), packets);
    assertEquals(units.size(), frames.size());
    for (int i = 0; i < units.size(); i++) {
      ReceivedFrame frame = frames.get(i);
      assertEquals(0x1_0000_0000L - 50_000 + i * 3000L, frame.timestamp(), "unwrapped");
      assertArrayEquals(
          AnnexB.join(H264PacketizerTest.withoutDroppedTypes(units.get(i))), frame.data());
      assertFalse(frame.damaged());
    }
  }

  @Test
  void bFrameTimestampsStepBackAcrossTheWrap() {
    long origin = 0x1_0000_0000L - 5000;
    H264Depacketizer depacketizer = new H264Depacketizer();
    List<Long> timestamps = new ArrayList<>();
    long[] pts = {0, 9000, 3000, 6000, 18_000, 12_000};
    for (int i = 0; i < pts.length; i++) {
      for (ReceivedFrame f : depacketizer.push(packet(i, origin + pts[i], true, P_SLICE))) {
        timestamps.add(f.timestamp() - origin);
      }
    }
    assertEquals(List.of(0L, 9000L, 3000L, 6000L, 18_000L, 12_000L), timestamps);
  }

  @Test
  void aLostFragmentDamagesTheFrameWhichKeepsItsWholeNalUnits() {
    byte[] idr = nal(new Random(2), 5, 5000);
    List<RtpPacket> packets = packets(List.of(List.of(SPS, PPS, SEI, idr), List.of(P_SLICE)));
    // STAP-A, SEI, FU-A x 5, P: lose the third FU-A
    assertEquals(8, packets.size());
    packets.remove(4);
    List<ReceivedFrame> frames = depacketize(new H264Depacketizer(), packets);
    assertEquals(2, frames.size());
    assertArrayEquals(AnnexB.join(List.of(SPS, PPS, SEI)), frames.get(0).data());
    assertTrue(frames.get(0).damaged());
    assertArrayEquals(AnnexB.join(List.of(P_SLICE)), frames.get(1).data());
    assertFalse(frames.get(1).damaged(), "the next frame lost nothing");
  }

  @Test
  void aLossBetweenFramesDamagesTheNextOne() {
    List<RtpPacket> packets =
        packets(List.of(List.of(P_SLICE), List.of(P_SLICE), List.of(P_SLICE)));
    packets.remove(1);
    List<ReceivedFrame> frames = depacketize(new H264Depacketizer(), packets);
    assertEquals(List.of(false, true), frames.stream().map(ReceivedFrame::damaged).toList());
    assertEquals(6000, frames.get(1).timestamp());
  }

  @Test
  void aFrameWhoseMarkerWasLostIsClosedByTheNextTimestamp() {
    List<RtpPacket> packets =
        packets(List.of(List.of(SEI, P_SLICE), List.of(P_SLICE), List.of(P_SLICE)));
    packets.remove(1); // the first frame's P slice, with its marker
    H264Depacketizer depacketizer = new H264Depacketizer();
    assertEquals(List.of(), depacketizer.push(packets.get(0)));
    List<ReceivedFrame> closed = depacketizer.push(packets.get(1));
    assertEquals(2, closed.size(), "the open frame, then the one-packet frame");
    assertEquals(0, closed.get(0).timestamp());
    assertArrayEquals(AnnexB.join(List.of(SEI)), closed.get(0).data());
    assertTrue(closed.get(0).damaged());
    assertFalse(depacketizer.push(packets.get(2)).get(0).damaged());
  }

  @Test
  void aSenderThatSetsNoMarkerGetsItsFramesClosedByTheTimestamp() {
    H264Depacketizer depacketizer = new H264Depacketizer();
    assertEquals(List.of(), depacketizer.push(packet(1, 100, false, SEI)));
    assertEquals(List.of(), depacketizer.push(packet(2, 100, false, P_SLICE)));
    List<ReceivedFrame> frames = depacketizer.push(packet(3, 3100, false, P_SLICE));
    assertEquals(1, frames.size());
    assertArrayEquals(AnnexB.join(List.of(SEI, P_SLICE)), frames.get(0).data());
    assertFalse(frames.get(0).damaged());
    List<ReceivedFrame> last = depacketizer.flush();
    assertEquals(3100, last.get(0).timestamp());
    assertEquals(List.of(), depacketizer.flush());
  }

  @Test
  void duplicateAndLatePacketsAreDropped() {
    byte[] idr = nal(new Random(3), 5, 3000);
    List<RtpPacket> packets = packets(List.of(List.of(SEI, idr)));
    List<RtpPacket> repeated =
        List.of(
            packets.get(0),
            packets.get(1),
            packets.get(1),
            packets.get(0),
            packets.get(2),
            packets.get(3));
    List<ReceivedFrame> frames = depacketize(new H264Depacketizer(), repeated);
    assertEquals(1, frames.size());
    assertArrayEquals(AnnexB.join(List.of(SEI, idr)), frames.get(0).data());
    assertFalse(frames.get(0).damaged());
  }

  @Test
  void aReorderedFragmentDamagesItsFrame() {
    byte[] idr = nal(new Random(4), 5, 3000);
    List<RtpPacket> packets = packets(List.of(List.of(SEI, idr), List.of(P_SLICE)));
    List<ReceivedFrame> frames =
        depacketize(
            new H264Depacketizer(),
            List.of(
                packets.get(0), packets.get(2), packets.get(1), packets.get(3), packets.get(4)));
    assertEquals(2, frames.size());
    assertArrayEquals(AnnexB.join(List.of(SEI)), frames.get(0).data());
    assertTrue(frames.get(0).damaged(), "the late fragment is dropped, the NAL unit with it");
    assertFalse(frames.get(1).damaged());
  }

  @Test
  void aFragmentWithoutItsStartIsSkippedAndDamagesTheFrame() {
    byte[] idr = nal(new Random(5), 5, 3000);
    List<RtpPacket> packets = packets(List.of(List.of(idr, P_SLICE)));
    List<ReceivedFrame> frames = depacketize(new H264Depacketizer(), packets.subList(1, 4));
    assertEquals(1, frames.size());
    assertArrayEquals(AnnexB.join(List.of(P_SLICE)), frames.get(0).data());
    assertTrue(frames.get(0).damaged());
  }

  @Test
  void aFragmentLeftUnfinishedIsDroppedAndDamagesTheFrame() {
    byte[] idr = nal(new Random(6), 5, 3000);
    List<RtpPacket> fragments = packets(List.of(List.of(idr)));
    H264Depacketizer depacketizer = new H264Depacketizer();
    depacketizer.push(fragments.get(0));
    depacketizer.push(fragments.get(1));
    // the sender gave up on the NAL unit and went on with another in the same frame
    List<ReceivedFrame> frames =
        depacketizer.push(packet(fragments.get(1).header().sequenceNumber() + 1, 0, true, SEI));
    assertArrayEquals(AnnexB.join(List.of(SEI)), frames.get(0).data());
    assertTrue(frames.get(0).damaged());

    depacketizer.push(packet(100, 3000, false, fragments.get(0).payload()));
    List<ReceivedFrame> flushed = depacketizer.flush();
    assertEquals(0, flushed.get(0).data().length, "never half a NAL unit");
    assertTrue(flushed.get(0).damaged());
  }

  @Test
  void aFrameAboveTheLimitIsDroppedAndReportedDamaged() {
    Random random = new Random(7);
    List<List<byte[]>> units =
        List.of(
            List.of(nal(random, 5, 20_000)),
            List.of(SEI, nal(random, 1, 6000), nal(random, 1, 6000)),
            List.of(P_SLICE));
    List<ReceivedFrame> frames = depacketize(new H264Depacketizer(10_000), packets(units));
    assertEquals(3, frames.size());
    assertEquals(0, frames.get(0).data().length);
    assertTrue(frames.get(0).damaged());
    assertEquals(0, frames.get(1).data().length, "whole NAL units count too");
    assertTrue(frames.get(1).damaged());
    assertArrayEquals(AnnexB.join(List.of(P_SLICE)), frames.get(2).data());
    assertFalse(frames.get(2).damaged());
  }

  @Test
  void malformedPayloadsAreRefusedAndCountAsLost() {
    List<String> malformed =
        List.of(
            "", // empty
            "78", // STAP-A without NAL units
            "7800", // STAP-A: a size cut off
            "78000467", // STAP-A: size 4, one byte left
            "7800021e00", // STAP-A carrying type 30
            "7c", // FU-A without its FU header
            "7cc501", // FU-A with start and end
            "7c9801", // FU-A of type 24
            "19", // STAP-B
            "1a", // MTAP16
            "1b", // MTAP24
            "1d", // FU-B
            "00", // type 0
            "1e", // type 30
            "1f"); // type 31
    H264Depacketizer depacketizer = new H264Depacketizer();
    int sequenceNumber = 0;
    for (String payload : malformed) {
      int before = sequenceNumber++;
      assertFalse(
          depacketizer.push(packet(before, before * 3000L, true, P_SLICE)).get(0).damaged());
      int bad = sequenceNumber++;
      assertThrows(
          MalformedRtpException.class,
          () -> depacketizer.push(packet(bad, bad * 3000L, true, HEX.parseHex(payload))),
          payload);
      int after = sequenceNumber++;
      List<ReceivedFrame> frames = depacketizer.push(packet(after, after * 3000L, true, P_SLICE));
      assertArrayEquals(AnnexB.join(List.of(P_SLICE)), frames.get(0).data(), payload);
      assertTrue(frames.get(0).damaged(), "the refused packet counts as lost: " + payload);
    }
  }

  @Test
  void aStapAMayEndInZeroPadding() {
    byte[] stapA = HEX.parseHex("78" + "0004" + "6742c01e" + "0004" + "68ce3c80" + "0000");
    List<ReceivedFrame> frames = new H264Depacketizer().push(packet(0, 0, true, stapA));
    assertArrayEquals(AnnexB.join(List.of(SPS, PPS)), frames.get(0).data());
  }

  @Test
  void refusesANonPositiveLimit() {
    assertThrows(IllegalArgumentException.class, () -> new H264Depacketizer(0));
  }

  private static List<ReceivedFrame> roundTrip(List<List<byte[]>> units) {
    return depacketize(new H264Depacketizer(), packets(units));
  }

  /** The packets of these access units, 3000 ticks apart, from sequence number 65 000. */
  private static List<RtpPacket> packets(List<List<byte[]>> units) {
    H264Packetizer packetizer = new H264Packetizer();
    RtpStamper stamper = new RtpStamper(96, 7, 65_000, 0);
    List<RtpPacket> packets = new ArrayList<>();
    for (int i = 0; i < units.size(); i++) {
      packets.addAll(stamp(stamper, packetizer.packetize(units.get(i), List.of()), i * 3000L));
    }
    return packets;
  }

  static byte[] nal(Random random, int type, int size) {
    byte[] nal = new byte[size];
    random.nextBytes(nal);
    nal[0] = (byte) ((random.nextInt(4) << 5) | type);
    if (nal[size - 1] == 0) {
      nal[size - 1] = 1; // a NAL unit never ends in a zero byte
    }
    return nal;
  }
}
