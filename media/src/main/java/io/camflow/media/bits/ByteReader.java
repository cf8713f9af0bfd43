package io.camflow.media.bits;

import java.util.Arrays;
import java.util.Objects;

/**
 * Big-endian reads over a byte array for box-style structures (avcC, hvcC). Running out of bytes
 * throws {@link IllegalArgumentException} naming the offset, never an index exception.
 */
public final class ByteReader {

  private final byte[] data;
  private int position;

  public ByteReader(byte[] data) {
    this.data = Objects.requireNonNull(data, "data");
  }

  public int u8() {
    need(1);
    return data[position++] & 0xFF;
  }

  public int u16() {
    return (u8() << 8) | u8();
  }

  public long u32() {
    return ((long) u16() << 16) | u16();
  }

  public byte[] bytes(int n) {
    need(n);
    byte[] out = Arrays.copyOfRange(data, position, position + n);
    position += n;
    return out;
  }

  public void skip(int n) {
    need(n);
    position += n;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return data.length - position;
  }

  private void need(int n) {
    if (n < 0 || data.length - position < n) {
      throw new IllegalArgumentException(
          "truncated at offset "
              + position
              + ": need "
              + n
              + " bytes, "
              + (data.length - position)
              + " left");
    }
  }
}
