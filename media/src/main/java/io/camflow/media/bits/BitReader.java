package io.camflow.media.bits;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reads an RBSP (a NAL unit payload with emulation prevention removed) bit by bit, MSB first,
 * including the Exp-Golomb codes of H.264/H.265.
 *
 * <p>Reading past the end throws {@link IllegalArgumentException}: for bitstream parsers a short
 * buffer is bad input, not a programming error, and callers already handle that type.
 */
public final class BitReader {

  private final byte[] data;
  private final int limitBits;
  private int position;

  public BitReader(byte[] data) {
    this(data, 0, Objects.requireNonNull(data, "data").length);
  }

  /** Reads {@code length} bytes of {@code data} starting at {@code offset}. */
  public BitReader(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    this.data = data;
    this.position = offset * 8;
    this.limitBits = (offset + length) * 8;
  }

  public boolean readFlag() {
    return readBits(1) == 1;
  }

  /** Reads {@code n} bits, 0..32, as an unsigned value (32 bits come back as a negative int). */
  public int readBits(int n) {
    if (n < 0 || n > 32) {
      throw new IllegalArgumentException("can read 0..32 bits at once, not " + n);
    }
    return (int) readBitsLong(n);
  }

  /** Reads {@code n} bits, 0..64, as an unsigned value. */
  public long readBitsLong(int n) {
    if (n < 0 || n > 64) {
      throw new IllegalArgumentException("can read 0..64 bits at once, not " + n);
    }
    require(n);
    long value = 0;
    for (int i = 0; i < n; i++) {
      int bit = (data[position >>> 3] >>> (7 - (position & 7))) & 1;
      value = (value << 1) | bit;
      position++;
    }
    return value;
  }

  /** Unsigned Exp-Golomb {@code ue(v)}; values above {@link Integer#MAX_VALUE} are rejected. */
  public int readUE() {
    int leadingZeros = 0;
    while (readBits(1) == 0) {
      leadingZeros++;
      if (leadingZeros > 31) {
        throw new IllegalArgumentException(
            "exp-Golomb code longer than 32 bits at bit " + position);
      }
    }
    long value = (1L << leadingZeros) - 1 + readBitsLong(leadingZeros);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "exp-Golomb value " + value + " out of range at bit " + position);
    }
    return (int) value;
  }

  /** Signed Exp-Golomb {@code se(v)}: 1, -1, 2, -2, ... */
  public int readSE() {
    int codeNum = readUE();
    int magnitude = (codeNum + 1) >>> 1;
    return (codeNum & 1) == 1 ? magnitude : -magnitude;
  }

  /**
   * Reads {@code ue(v)} and checks it is within {@code [0, max]}; garbage often decodes to huge
   * values.
   */
  public int readUE(String field, int max) {
    int value = readUE();
    if (value > max) {
      throw new IllegalArgumentException(field + " = " + value + " exceeds " + max);
    }
    return value;
  }

  public void skip(int bits) {
    if (bits < 0) {
      throw new IllegalArgumentException("cannot skip " + bits + " bits");
    }
    require(bits);
    position += bits;
  }

  public int bitsLeft() {
    return limitBits - position;
  }

  private void require(int bits) {
    if (bits > limitBits - position) {
      throw new IllegalArgumentException(
          "bitstream truncated: need " + bits + " bits, " + (limitBits - position) + " left");
    }
  }

  /**
   * Removes emulation-prevention bytes: every {@code 0x03} that follows two zero bytes, from index
   * {@code from} on (pass the NAL header length to drop the header too).
   *
   * @return a new array holding the RBSP from {@code from}
   */
  public static byte[] unescapeRbsp(byte[] nal, int from) {
    Objects.checkFromToIndex(from, nal.length, nal.length);
    byte[] out = new byte[nal.length - from];
    int length = 0;
    int zeros = 0;
    for (int i = from; i < nal.length; i++) {
      byte b = nal[i];
      if (zeros >= 2 && b == 3) {
        zeros = 0; // the 0x03 itself is dropped and does not count as a zero
        continue;
      }
      zeros = b == 0 ? zeros + 1 : 0;
      out[length++] = b;
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }
}
