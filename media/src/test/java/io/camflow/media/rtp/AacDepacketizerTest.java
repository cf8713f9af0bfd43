package io.camflow.media.rtp;

import static io.camflow.media.rtp.RtpPackets.depacketize;
import static io.camflow.media.rtp.RtpPackets.packet;
import static io.camflow.media.rtp.RtpPackets.stamp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AacDepacketizerTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void oneAccessUnitPerPacketComesBackWithItsTimestamp() {
    Random random = new Random(3640);
    List<byte[]> units = new ArrayList<>();
    List<RtpPacket> packets = new ArrayList<>();
    AacPacketizer packetizer = new AacPacketizer(1200);
    RtpStamper stamper = new RtpStamper(97, 9, 65_535, 0xFFFF_F000L); // both wrap at once
    for (int i = 0; i < 50; i++) {
      AccessUnit au = aac(random, random.nextInt(800), i * 1024L);
      units.add(au.data());
      RtpFrame frame = packetizer.packetize(au, 48_000);
      packets.addAll(stamp(stamper, frame.payloads(), frame.timestamp()));
    }
    List<ReceivedFrame> frames = depacketize(AacDepacketizer.aacHbr(48_000), packets);
    assertEquals(50, frames.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(0xFFFF_F000L + i * 1024L, frames.get(i).timestamp());
      assertArrayEquals(units.get(i), frames.get(i).data());
      assertFalse(frames.get(i).damaged());
    }
  }

  /** As FFmpeg sends them: AU-headers-length 48 bits, three 13+3-bit headers, three units. */
  @Test
  void severalAccessUnitsInOnePacketAreStampedOneFrameLengthApart() {
    byte[] payload = HEX.parseHex("0030" + "0018" + "0008" + "0010" + "aaa1a2" + "bb" + "ccc1");
    List<ReceivedFrame> frames =
        AacDepacketizer.aacHbr(44_100).push(packet(5, 90_000, true, payload));
    assertEquals(
        List.of(90_000L, 91_024L, 92_048L), frames.stream().map(f -> f.timestamp()).toList());
    assertEquals(
        List.of("aaa1a2", "bb", "ccc1"),
        frames.stream().map(f -> HEX.formatHex(f.data())).toList());
  }

  @Test
  void theFrameLengthAndAnIndexDeltaSetTheTimestamps() {
    // AAC-LD's 480 samples; the second unit's index delta 1 puts it two frames after the first
    AacDepacketizer depacketizer = new AacDepacketizer(48_000, 13, 3, 3, 480);
    byte[] payload = HEX.parseHex("0020" + "0008" + "0009" + "aa" + "bb");
    List<ReceivedFrame> frames = depacketizer.push(packet(0, 1000, true, payload));
    assertEquals(List.of(1000L, 1960L), frames.stream().map(f -> f.timestamp()).toList());
  }

  @Test
  void aacLbrHasSixBitSizes() {
    // AU-headers-length 16: two 6+2-bit headers, sizes 2 and 1
    byte[] payload = HEX.parseHex("0010" + "08" + "04" + "a1a2" + "b1");
    List<ReceivedFrame> frames = AacDepacketizer.aacLbr(16_000).push(packet(0, 0, true, payload));
    assertEquals(List.of("a1a2", "b1"), frames.stream().map(f -> HEX.formatHex(f.data())).toList());
  }

  @Test
  void aFragmentedAccessUnitIsJoined() {
    AccessUnit au = aac(new Random(1), 2500, 2048);
    RtpFrame frame = new AacPacketizer(300).packetize(au, 48_000);
    assertEquals(9, frame.payloads().size());
    List<ReceivedFrame> frames =
        depacketize(
            AacDepacketizer.aacHbr(48_000),
            stamp(new RtpStamper(97, 9, 0, 0), frame.payloads(), frame.timestamp()));
    assertEquals(1, frames.size());
    assertEquals(2048, frames.get(0).timestamp());
    assertArrayEquals(au.data(), frames.get(0).data());
    assertFalse(frames.get(0).damaged());
  }

  @Test
  void anAccessUnitThatLostAFragmentIsReturnedDamagedAndEmpty() {
    AacPacketizer packetizer = new AacPacketizer(300);
    RtpStamper stamper = new RtpStamper(97, 9, 0, 0);
    Random random = new Random(2);
    List<RtpPacket> packets = new ArrayList<>();
    List<byte[]> units = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      AccessUnit au = aac(random, 700, i * 1024L);
      units.add(au.data());
      RtpFrame frame = packetizer.packetize(au, 48_000);
      packets.addAll(stamp(stamper, frame.payloads(), frame.timestamp()));
    }
    assertEquals(9, packets.size());
    packets.remove(4); // the second unit's middle fragment
    List<ReceivedFrame> frames = depacketize(AacDepacketizer.aacHbr(48_000), packets);
    assertEquals(3, frames.size());
    assertArrayEquals(units.get(0), frames.get(0).data());
    assertEquals(1024, frames.get(1).timestamp());
    assertEquals(0, frames.get(1).data().length);
    assertTrue(frames.get(1).damaged());
    assertArrayEquals(units.get(2), frames.get(2).data());
    assertFalse(frames.get(2).damaged());
  }

  @Test
  void aFragmentedUnitCutOffByTheNextPacketOrTheEndIsDamaged() {
    RtpFrame frame = new AacPacketizer(300).packetize(aac(new Random(3), 700, 0), 48_000);
    byte[] first = frame.payloads().get(0).data();
    AacDepacketizer depacketizer = AacDepacketizer.aacHbr(48_000);
    assertEquals(List.of(), depacketizer.push(packet(0, 0, false, first)));
    List<ReceivedFrame> frames =
        depacketizer.push(packet(1, 1024, true, HEX.parseHex("0010" + "0008" + "aa")));
    assertEquals(List.of(true, false), frames.stream().map(ReceivedFrame::damaged).toList());
    assertEquals(List.of(), depacketizer.push(packet(2, 2048, false, first)));
    List<ReceivedFrame> flushed = depacketizer.flush();
    assertEquals(2048, flushed.get(0).timestamp());
    assertTrue(flushed.get(0).damaged());
  }

  @Test
  void aLastFragmentWithoutTheOthersIsDamaged() {
    RtpFrame frame = new AacPacketizer(300).packetize(aac(new Random(4), 700, 0), 48_000);
    List<ReceivedFrame> frames =
        AacDepacketizer.aacHbr(48_000).push(packet(0, 0, true, frame.payloads().get(2).data()));
    assertEquals(1, frames.size());
    assertTrue(frames.get(0).damaged());
    assertEquals(0, frames.get(0).data().length);
  }

  @Test
  void duplicatePacketsAreDropped() {
    RtpPacket packet = packet(7, 0, true, HEX.parseHex("0010" + "0008" + "aa"));
    AacDepacketizer depacketizer = AacDepacketizer.aacHbr(48_000);
    assertEquals(1, depacketizer.push(packet).size());
    assertEquals(List.of(), depacketizer.push(packet));
  }

  @Test
  void malformedPayloadsAreRefusedAndTheNextPacketIsRead() {
    List<String> malformed =
        List.of(
            "", // no AU-headers-length
            "00", // half of it
            "0040" + "0008", // 64 bits of AU-headers in a 4-byte payload
            "0000" + "aa", // no AU-header
            "000c" + "0008", // 12 bits: not a whole header
            "0018" + "0008aa", // 24 bits: one and a half headers
            "0020" + "0010" + "0010" + "aabbcc"); // two units of 2 bytes, 3 bytes follow
    AacDepacketizer depacketizer = AacDepacketizer.aacHbr(48_000);
    int sequenceNumber = 0;
    for (String payload : malformed) {
      int bad = sequenceNumber++;
      assertThrows(
          MalformedRtpException.class,
          () -> depacketizer.push(packet(bad, bad * 1024L, true, HEX.parseHex(payload))),
          payload);
      int good = sequenceNumber++;
      List<ReceivedFrame> frames =
          depacketizer.push(packet(good, good * 1024L, true, HEX.parseHex("00100008aa")));
      assertEquals(List.of("aa"), frames.stream().map(f -> HEX.formatHex(f.data())).toList());
    }
  }

  @Test
  void refusesImpossibleParameters() {
    assertThrows(IllegalArgumentException.class, () -> new AacDepacketizer(0, 13, 3, 3, 1024));
    assertThrows(IllegalArgumentException.class, () -> new AacDepacketizer(48_000, 0, 3, 3, 1024));
    assertThrows(IllegalArgumentException.class, () -> new AacDepacketizer(48_000, 17, 3, 3, 1024));
    assertThrows(IllegalArgumentException.class, () -> new AacDepacketizer(48_000, 13, 9, 3, 1024));
    assertThrows(IllegalArgumentException.class, () -> new AacDepacketizer(48_000, 13, 3, 3, 0));
    assertEquals(44_100, AacDepacketizer.aacHbr(44_100).clockRate());
  }

  private static AccessUnit aac(Random random, int size, long pts) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return new AccessUnit(1, Codec.AAC, pts, pts, 48_000, true, data, null);
  }
}
