package io.camflow.media.bits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BitReaderTest {

  @Test
  void readsBitsMostSignificantFirst() {
    BitReader r =
        new BitReader(new byte[] {(byte) 0b1010_0110, (byte) 0xFF, 0x12, 0x34, 0x56, 0x78});
    assertTrue(r.readFlag());
    assertFalse(r.readFlag());
    assertEquals(0b10, r.readBits(2));
    assertEquals(0b0110_1111, r.readBits(8));
    r.skip(4);
    assertEquals(0x12345678L, Integer.toUnsignedLong(r.readBits(32)));
    assertEquals(0, r.bitsLeft());
  }

  @Test
  void readsUpTo64BitsAtOnce() {
    byte[] all = {(byte) 0xFE, (byte) 0xDC, (byte) 0xBA, (byte) 0x98, 0x76, 0x54, 0x32, 0x10};
    assertEquals(0xFEDCBA9876543210L, new BitReader(all).readBitsLong(64));
    assertEquals(0xFFFFFFFF, new BitReader(new byte[] {-1, -1, -1, -1}).readBits(32));
    assertEquals(0, new BitReader(new byte[0]).readBits(0));
  }

  @Test
  void decodesExpGolombCodes() {
    // ue: 1 -> 0, 010 -> 1, 011 -> 2, 00100 -> 3, 00111 -> 6, 0001000 -> 7
    BitReader r =
        new BitReader(
            new BitWriter()
                .bits(0b1, 1)
                .bits(0b010, 3)
                .bits(0b011, 3)
                .bits(0b00100, 5)
                .bits(0b00111, 5)
                .bits(0b0001000, 7)
                .bytes());
    assertEquals(0, r.readUE());
    assertEquals(1, r.readUE());
    assertEquals(2, r.readUE());
    assertEquals(3, r.readUE());
    assertEquals(6, r.readUE());
    assertEquals(7, r.readUE());
  }

  @Test
  void decodesSignedExpGolombAsAlternatingSigns() {
    BitWriter w = new BitWriter();
    for (int codeNum = 0; codeNum <= 6; codeNum++) {
      w.ue(codeNum);
    }
    BitReader r = new BitReader(w.bytes());
    int[] expected = {0, 1, -1, 2, -2, 3, -3};
    for (int value : expected) {
      assertEquals(value, r.readSE());
    }
  }

  @Test
  void roundTripsLargeExpGolombValues() {
    BitReader r =
        new BitReader(new BitWriter().ue(Integer.MAX_VALUE).se(-123456).ue(65535).bytes());
    assertEquals(Integer.MAX_VALUE, r.readUE());
    assertEquals(-123456, r.readSE());
    assertEquals(65535, r.readUE());
  }

  @Test
  void rejectsExpGolombBeyondIntRange() {
    byte[] zeros = new byte[8];
    zeros[7] = (byte) 0xFF;
    assertThrows(IllegalArgumentException.class, () -> new BitReader(zeros).readUE());
  }

  @Test
  void boundedUeNamesTheField() {
    BitReader r = new BitReader(new BitWriter().ue(40).bytes());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.readUE("seq_parameter_set_id", 31));
    assertTrue(e.getMessage().contains("seq_parameter_set_id"), e.getMessage());
  }

  @Test
  void readingPastTheEndIsIllegalArgument() {
    BitReader r = new BitReader(new byte[] {0x00});
    assertThrows(IllegalArgumentException.class, () -> r.readBits(9));
    assertThrows(IllegalArgumentException.class, () -> r.skip(9));
    assertThrows(IllegalArgumentException.class, r::readUE); // eight zeros and no stop bit
    assertThrows(IllegalArgumentException.class, () -> new BitReader(new byte[0]).readFlag());
  }

  @Test
  void honoursOffsetAndLength() {
    BitReader r = new BitReader(new byte[] {1, 2, 3, 4}, 1, 2);
    assertEquals(0x0203, r.readBits(16));
    assertThrows(IllegalArgumentException.class, () -> r.readBits(1));
  }

  @Test
  void unescapeRemovesEmulationPreventionBytes() {
    assertArrayEquals(new byte[] {0, 0, 1}, BitReader.unescapeRbsp(new byte[] {0, 0, 3, 1}, 0));
    assertArrayEquals(
        new byte[] {0, 0, 0, 0, 0}, BitReader.unescapeRbsp(new byte[] {0, 0, 3, 0, 0, 3, 0}, 0));
    // a 0x03 that follows only one zero is data
    assertArrayEquals(new byte[] {0, 3, 0, 3}, BitReader.unescapeRbsp(new byte[] {0, 3, 0, 3}, 0));
    // the removed 0x03 does not count towards the next pair of zeros
    assertArrayEquals(new byte[] {0, 0, 3}, BitReader.unescapeRbsp(new byte[] {0, 0, 3, 3}, 0));
    // a trailing 0x03 after cabac_zero_words is removed too
    assertArrayEquals(
        new byte[] {0x25, 0, 0}, BitReader.unescapeRbsp(new byte[] {0x67, 0x25, 0, 0, 3}, 1));
  }

  @Test
  void unescapeStartsAtFromAndCopies() {
    byte[] nal = {0x67, 0x42, 0, 0, 3, 2};
    byte[] rbsp = BitReader.unescapeRbsp(nal, 1);
    assertArrayEquals(new byte[] {0x42, 0, 0, 2}, rbsp);
    assertArrayEquals(new byte[0], BitReader.unescapeRbsp(nal, nal.length));
    assertThrows(IndexOutOfBoundsException.class, () -> BitReader.unescapeRbsp(nal, 7));
  }

  @Test
  void escapeThenUnescapeIsIdentity() {
    byte[] rbsp = {0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0};
    byte[] nal = BitWriter.nal(new byte[] {0x67}, rbsp);
    assertArrayEquals(rbsp, BitReader.unescapeRbsp(nal, 1));
  }
}
