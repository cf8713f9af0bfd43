package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpStamperTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void stampsHeaderAndPayloadAndCountsSequenceNumbers() {
    RtpStamper stamper = new RtpStamper(102, 0xCAFEBABEL, 0xFFFE, 0xFFFFFF00L);
    byte[] first = stamper.stamp(new RtpPayload(HEX.parseHex("6742"), false), 0x80);
    byte[] second = stamper.stamp(new RtpPayload(HEX.parseHex("65"), true), 0x100);
    byte[] third = stamper.stamp(new RtpPayload(HEX.parseHex("41"), true), 0x200);
    assertEquals("80" + "66" + "fffe" + "ffffff80" + "cafebabe" + "6742", HEX.formatHex(first));
    // the timestamp wraps at 2^32, the sequence number at 2^16
    assertEquals("80" + "e6" + "ffff" + "00000000" + "cafebabe" + "65", HEX.formatHex(second));
    assertEquals("80" + "e6" + "0000" + "00000100" + "cafebabe" + "41", HEX.formatHex(third));
    assertEquals(1, stamper.nextSequenceNumber());
  }

  @Test
  void writesIntoACallersBufferAtAnOffset() {
    RtpStamper stamper = new RtpStamper(0, 1, 5, 0);
    byte[] buffer = new byte[20];
    int written =
        stamper.stamp(new RtpPayload(new byte[] {(byte) 0xD5, 0x55}, false, 160), 320, buffer, 3);
    assertEquals(14, written);
    assertArrayEquals(
        HEX.parseHex("000000" + "80000005" + "000001e0" + "00000001" + "d555" + "000000"), buffer);
    assertThrows(
        IllegalArgumentException.class,
        () -> stamper.stamp(new RtpPayload(new byte[10], false), 0, new byte[21], 0));
  }

  @Test
  void viewersShareOnePayloadButKeepTheirOwnHeaders() {
    RtpPayload shared = new RtpPayload(HEX.parseHex("419a"), true);
    byte[] a = new RtpStamper(96, 1, 100, 1000).stamp(shared, 3000);
    byte[] b = new RtpStamper(102, 2, 7, 0).stamp(shared, 3000);
    assertEquals("80e0006400000fa000000001419a", HEX.formatHex(a));
    assertEquals("80e6000700000bb800000002419a", HEX.formatHex(b));
  }

  @Test
  void convertsTimebasesWithoutOverflow() {
    assertEquals(90_000, RtpClock.toClockRate(1000, 1000, 90_000));
    assertEquals(3003, RtpClock.toClockRate(1001, 30_000, 90_000));
    assertEquals(-90, RtpClock.toClockRate(-1, 1000, 90_000));
    long large = Long.MAX_VALUE / 1000;
    assertEquals(
        large / 1000 * 90_000 + (large % 1000) * 90, RtpClock.toClockRate(large, 1000, 90_000));
  }
}
