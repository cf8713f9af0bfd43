package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.media.testing.FuzzInputs;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void headerBytesFollowRfc3550() {
    byte[] b = new byte[12];
    new RtpHeader(96, true, 0xABCD, 0xFEDCBA98L, 0x12345678L).writeTo(b, 0);
    // V=2 P=0 X=0 CC=0 | M=1 PT=96 | seq | timestamp | SSRC
    assertEquals("80" + "e0" + "abcd" + "fedcba98" + "12345678", HEX.formatHex(b));
  }

  @Test
  void headerRejectsOutOfRangeFields() {
    assertThrows(IllegalArgumentException.class, () -> new RtpHeader(128, false, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RtpHeader(0, false, 0x10000, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RtpHeader(0, false, 0, 1L << 32, 0));
    assertThrows(IllegalArgumentException.class, () -> new RtpHeader(0, false, 0, 0, -1));
  }

  @Test
  void readsWhatItWrites() {
    RtpHeader header = new RtpHeader(0, false, 65535, 0xFFFFFFFFL, 0xFFFFFFFFL);
    byte[] packet = new byte[15];
    header.writeTo(packet, 0);
    packet[12] = 1;
    packet[13] = 2;
    packet[14] = 3;
    RtpPacket read = RtpPacket.parse(packet);
    assertEquals(header, read.header());
    assertArrayEquals(new byte[] {1, 2, 3}, read.payload());
    assertEquals(-1, read.extensionProfile());
    assertEquals(List.of(), read.csrcs());
  }

  @Test
  void toleratesCsrcsExtensionAndPadding() {
    // V=2 P=1 X=1 CC=2, M=0 PT=111, seq 7, ts 160, SSRC 1; CSRCs 2 and 3;
    // one-byte-header extension (0xBEDE) of 1 word; payload aa bb; 2 bytes of padding
    byte[] packet =
        HEX.parseHex(
            "b2"
                + "6f"
                + "0007"
                + "000000a0"
                + "00000001"
                + "00000002"
                + "00000003"
                + "bede0001"
                + "10ff0000"
                + "aabb"
                + "0002");
    RtpPacket read = RtpPacket.parse(packet);
    assertEquals(new RtpHeader(111, false, 7, 160, 1), read.header());
    assertEquals(List.of(2L, 3L), read.csrcs());
    assertEquals(0xBEDE, read.extensionProfile());
    assertArrayEquals(HEX.parseHex("10ff0000"), read.extension());
    assertArrayEquals(HEX.parseHex("aabb"), read.payload());
  }

  @Test
  void readsWithinARange() {
    byte[] buffer = HEX.parseHex("ffff" + "8060000100000002" + "00000003" + "42" + "ffff");
    RtpPacket read = RtpPacket.parse(buffer, 2, 13);
    assertEquals(new RtpHeader(96, false, 1, 2, 3), read.header());
    assertArrayEquals(new byte[] {0x42}, read.payload());
  }

  @Test
  void rejectsMalformedPacketsWithAReason() {
    assertMalformed("shorter than the 12-byte header", "80600001000000020000");
    assertMalformed("RTP version 1", "40600001000000020000000300");
    assertMalformed("too short for its 3 CSRCs", "8360000100000002000000030000000400000005");
    assertMalformed("extension flag set but only 2 bytes follow", "906000010000000200000003bede");
    assertMalformed(
        "extension of 2 words runs past the end", "906000010000000200000003bede000200000000");
    assertMalformed("padding length 0", "a06000010000000200000003aa00");
    assertMalformed("padding length 9", "a06000010000000200000003aabb09");
    assertMalformed("padding length 0 does not fit the 0 bytes", "a06000010000000200000003");
  }

  @Test
  void randomBytesOnlyEverFailAsMalformed() {
    Random random = new Random(11);
    byte[] valid =
        HEX.parseHex("b26f0007000000a00000000100000002" + "00000003bede000110ff0000aabb0002");
    for (int i = 0; i < 20_000; i++) {
      byte[] input =
          i % 2 == 0
              ? FuzzInputs.randomBytes(random, 40)
              : FuzzInputs.mutate(random, valid.clone());
      if (input.length > 0 && random.nextBoolean()) {
        input[0] = (byte) (0x80 | (input[0] & 0x3F)); // version 2, to get past the first check
      }
      try {
        RtpPacket read = RtpPacket.parse(input);
        assertTrue(read.payload().length <= input.length - 12);
      } catch (MalformedRtpException expected) {
        // the documented failure
      } catch (RuntimeException e) {
        fail("unexpected " + e + " for " + HEX.formatHex(input), e);
      }
    }
  }

  private static void assertMalformed(String expectedMessagePart, String hex) {
    MalformedRtpException e =
        assertThrows(MalformedRtpException.class, () -> RtpPacket.parse(HEX.parseHex(hex)));
    assertTrue(e.getMessage().contains(expectedMessagePart), () -> "message: " + e.getMessage());
  }
}
