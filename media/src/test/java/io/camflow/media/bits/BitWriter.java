package io.camflow.media.bits;

import java.io.ByteArrayOutputStream;
import java.util.function.UnaryOperator;

/** Writes bits MSB first, for building parameter sets the real encoders at hand do not produce. */
public final class BitWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int current;
  private int count;

  public BitWriter bits(long value, int n) {
    for (int i = n - 1; i >= 0; i--) {
      current = (current << 1) | (int) ((value >>> i) & 1);
      if (++count == 8) {
        out.write(current);
        current = 0;
        count = 0;
      }
    }
    return this;
  }

  public BitWriter flag(boolean value) {
    return bits(value ? 1 : 0, 1);
  }

  public BitWriter ue(int value) {
    long codeNum = value + 1L;
    int length = 64 - Long.numberOfLeadingZeros(codeNum);
    bits(0, length - 1);
    return bits(codeNum, length);
  }

  public BitWriter se(int value) {
    return ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** Lets a builder chain call a helper. */
  public BitWriter apply(UnaryOperator<BitWriter> step) {
    return step.apply(this);
  }

  /** rbsp_trailing_bits() and the bytes so far. */
  public byte[] rbsp() {
    bits(1, 1);
    while (count != 0) {
      bits(0, 1);
    }
    return out.toByteArray();
  }

  /** Bytes so far, zero-padded to a byte boundary, without trailing bits. */
  public byte[] bytes() {
    while (count != 0) {
      bits(0, 1);
    }
    return out.toByteArray();
  }

  /** A NAL unit: header bytes, then the RBSP with emulation-prevention bytes inserted. */
  public static byte[] nal(byte[] header, byte[] rbsp) {
    ByteArrayOutputStream nal = new ByteArrayOutputStream();
    nal.writeBytes(header);
    int zeros = 0;
    for (byte b : rbsp) {
      if (zeros >= 2 && (b & 0xFF) <= 3) {
        nal.write(3);
        zeros = 0;
      }
      nal.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return nal.toByteArray();
  }
}
