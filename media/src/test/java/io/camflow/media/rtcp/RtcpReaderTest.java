package io.camflow.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtcpReaderTest {

  static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /**
   * A compound packet captured from a browser (RR, SDES, BYE, PLI, then an RTPFB with format 5),
   * the packet dump Pion's RTCP tests use as their "real packet".
   */
  static final byte[] CAPTURED =
      bytes(
          0x81, 0xc9, 0x00, 0x07, 0x90, 0x2f, 0x9e, 0x2e, 0xbc, 0x5e, 0x9a, 0x40, 0x00, 0x00, 0x00,
          0x00, 0x00, 0x00, 0x46, 0xe1, 0x00, 0x00, 0x01, 0x11, 0x09, 0xf3, 0x64, 0x32, 0x00, 0x02,
          0x4a, 0x79, 0x81, 0xca, 0x00, 0x0c, 0x90, 0x2f, 0x9e, 0x2e, 0x01, 0x26, 0x7b, 0x39, 0x63,
          0x30, 0x30, 0x65, 0x62, 0x39, 0x32, 0x2d, 0x31, 0x61, 0x66, 0x62, 0x2d, 0x39, 0x64, 0x34,
          0x39, 0x2d, 0x61, 0x34, 0x37, 0x64, 0x2d, 0x39, 0x31, 0x66, 0x36, 0x34, 0x65, 0x65, 0x65,
          0x36, 0x39, 0x66, 0x35, 0x7d, 0x00, 0x00, 0x00, 0x00, 0x81, 0xcb, 0x00, 0x01, 0x90, 0x2f,
          0x9e, 0x2e, 0x81, 0xce, 0x00, 0x02, 0x90, 0x2f, 0x9e, 0x2e, 0x90, 0x2f, 0x9e, 0x2e, 0x85,
          0xcd, 0x00, 0x02, 0x90, 0x2f, 0x9e, 0x2e, 0x90, 0x2f, 0x9e, 0x2e);

  @Test
  void readsACapturedCompoundPacket() throws Exception {
    List<RtcpPacket> packets = RtcpReader.read(CAPTURED);
    assertEquals(5, packets.size());
    RtcpPacket.ReceiverReport rr =
        assertInstanceOf(RtcpPacket.ReceiverReport.class, packets.get(0));
    assertEquals(0x902f9e2e, rr.ssrc());
    assertEquals(
        List.of(new ReportBlock(0xbc5e9a40, 0, 0, 0x46e1, 273, 0x9f36432, 150137)), rr.blocks());
    assertEquals(new RtcpPacket.Other(RtcpPacket.SDES, 1), packets.get(1));
    assertEquals(new RtcpPacket.Bye(List.of(0x902f9e2e)), packets.get(2));
    assertEquals(new RtcpPacket.Pli(0x902f9e2e, 0x902f9e2e), packets.get(3));
    assertEquals(
        new RtcpPacket.Other(RtcpPacket.RTPFB, 5),
        packets.get(4)); // rapid resync: not ours to act on
  }

  @Test
  void readsASenderReportWithAReceptionBlock() throws Exception {
    byte[] sr =
        bytes(
            0x81, 0xc8, 0x00, 0x0c, 0x90, 0x2f, 0x9e, 0x2e, 0xda, 0x8b, 0xd1, 0xfc, 0xdd, 0xdd,
            0xa0, 0x5a, 0xaa, 0xf4, 0xed, 0xd5, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
            0xbc, 0x5e, 0x9a, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46, 0xe1, 0x00, 0x00,
            0x01, 0x11, 0x09, 0xf3, 0x64, 0x32, 0x00, 0x02, 0x4a, 0x79);
    RtcpPacket.SenderReport p =
        assertInstanceOf(RtcpPacket.SenderReport.class, RtcpReader.read(sr).getFirst());
    assertEquals(0xda8bd1fcdddda05aL, p.ntpTimestamp());
    assertEquals(0xaaf4edd5L, p.rtpTimestamp());
    assertEquals(1, p.packetCount());
    assertEquals(2, p.octetCount());
    assertEquals(0x46e1, p.blocks().getFirst().highestSequence());
  }

  @Test
  void genericNackListsThePidAndEveryBitOfTheBitmask() throws Exception {
    // RFC 4585 6.2.1: PID 0xaaaa, BLP 0x5555 = bits 0, 2, 4, … 14 → PID+1, PID+3, … PID+15
    byte[] nack =
        bytes(
            0x81, 0xcd, 0x00, 0x03, 0x90, 0x2f, 0x9e, 0x2e, 0x90, 0x2f, 0x9e, 0x2e, 0xaa, 0xaa,
            0x55, 0x55);
    RtcpPacket.Nack p = assertInstanceOf(RtcpPacket.Nack.class, RtcpReader.read(nack).getFirst());
    List<Integer> expected = new ArrayList<>(List.of(0xaaaa));
    for (int i = 1; i <= 15; i += 2) {
      expected.add(0xaaaa + i);
    }
    assertEquals(expected, p.lost());
    // sequence numbers wrap
    byte[] wrap = bytes(0x81, 0xcd, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0x00, 0x01);
    assertEquals(List.of(0xffff, 0), ((RtcpPacket.Nack) RtcpReader.read(wrap).getFirst()).lost());
  }

  @Test
  void firListsSsrcAndSequencePerEntry() throws Exception {
    byte[] fir =
        bytes(0x84, 0xce, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 7, 0, 0, 0);
    assertEquals(
        new RtcpPacket.Fir(1, List.of(new RtcpPacket.FirEntry(0x12345678, 7))),
        RtcpReader.read(fir).getFirst());
  }

  @Test
  void paddingIsHonoured() throws Exception {
    // a PLI padded by 4 bytes (P bit set, the last byte counts the padding)
    byte[] pli = bytes(0xa1, 0xce, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4);
    assertEquals(List.of(new RtcpPacket.Pli(1, 2)), RtcpReader.read(pli));
  }

  @Test
  void refusesWhatDoesNotAddUp() {
    assertThrows(RtcpFormatException.class, () -> RtcpReader.read(new byte[0]));
    assertThrows(
        RtcpFormatException.class,
        () -> RtcpReader.read(bytes(0x41, 0xc9, 0, 1, 0, 0, 0, 0))); // version 1
    assertThrows(
        RtcpFormatException.class,
        () -> RtcpReader.read(bytes(0x81, 0xc9, 0, 7, 0, 0, 0, 0))); // too long
    assertThrows(
        RtcpFormatException.class,
        () -> RtcpReader.read(bytes(0x81, 0xc9, 0, 1, 0, 0, 0, 0))); // RR count 1, no block
    assertThrows(
        RtcpFormatException.class,
        () -> RtcpReader.read(bytes(0x81, 0xcd, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2))); // NACK w/o FCI
    assertThrows(
        RtcpFormatException.class,
        () ->
            RtcpReader.read(bytes(0xa1, 0xce, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0x20))); // padding > body
    assertThrows(
        RtcpFormatException.class,
        () -> RtcpReader.read(Arrays.copyOf(CAPTURED, CAPTURED.length - 2)));
  }

  @Test
  void mutatedPacketsOnlyEverFailWithTheFormatException() {
    Random random = new Random(42);
    for (int i = 0; i < 50_000; i++) {
      byte[] b = CAPTURED.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      int length = random.nextInt(b.length + 1);
      try {
        RtcpReader.read(b, 0, length);
      } catch (RtcpFormatException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
      }
    }
  }
}
