package io.camflow.media.fmp4;

import java.util.Arrays;

/**
 * Big-endian writes of ISO BMFF boxes into one pre-sized array.
 *
 * <p>A writer either fills an array or only measures: the init segment runs the same code twice,
 * once measuring and once filling, so its size can never disagree with what is written and the
 * bytes are copied exactly once. Box sizes are patched in {@link #end} when the box is closed.
 */
final class BoxWriter {

  private final byte[] out; // null while measuring
  private int position;

  private BoxWriter(byte[] out, int position) {
    this.out = out;
    this.position = position;
  }

  /** A writer that counts bytes and stores none. */
  static BoxWriter measuring() {
    return new BoxWriter(null, 0);
  }

  /** A writer that fills {@code out} from {@code offset}; the caller has sized it. */
  static BoxWriter into(byte[] out, int offset) {
    return new BoxWriter(out, offset);
  }

  int position() {
    return position;
  }

  /** Opens a box: a size placeholder and the type. Returns the start to pass to {@link #end}. */
  int begin(String type) {
    int start = position;
    u32(0);
    fourcc(type);
    return start;
  }

  /** Opens a full box (ISO/IEC 14496-12 4.2): header, then version and 24-bit flags. */
  int beginFull(String type, int version, int flags) {
    int start = begin(type);
    u8(version);
    u24(flags);
    return start;
  }

  /** Overwrites the 32-bit value at {@code at}, written earlier (a count known only later). */
  void patch32(int at, int value) {
    if (out != null) {
      out[at] = (byte) (value >>> 24);
      out[at + 1] = (byte) (value >>> 16);
      out[at + 2] = (byte) (value >>> 8);
      out[at + 3] = (byte) value;
    }
  }

  /** Closes the box opened at {@code start} by writing its size. */
  void end(int start) {
    if (out != null) {
      int size = position - start;
      out[start] = (byte) (size >>> 24);
      out[start + 1] = (byte) (size >>> 16);
      out[start + 2] = (byte) (size >>> 8);
      out[start + 3] = (byte) size;
    }
  }

  void u8(int value) {
    if (out != null) {
      out[position] = (byte) value;
    }
    position++;
  }

  void u16(int value) {
    if (out != null) {
      out[position] = (byte) (value >>> 8);
      out[position + 1] = (byte) value;
    }
    position += 2;
  }

  void u24(int value) {
    if (out != null) {
      out[position] = (byte) (value >>> 16);
      out[position + 1] = (byte) (value >>> 8);
      out[position + 2] = (byte) value;
    }
    position += 3;
  }

  /** 32 bits; an int is written as its two's-complement bit pattern (signed or unsigned alike). */
  void u32(int value) {
    if (out != null) {
      out[position] = (byte) (value >>> 24);
      out[position + 1] = (byte) (value >>> 16);
      out[position + 2] = (byte) (value >>> 8);
      out[position + 3] = (byte) value;
    }
    position += 4;
  }

  void u64(long value) {
    u32((int) (value >>> 32));
    u32((int) value);
  }

  /** A four-character code; box types are ASCII by definition. */
  void fourcc(String code) {
    if (out != null) {
      for (int i = 0; i < 4; i++) {
        out[position + i] = (byte) code.charAt(i);
      }
    }
    position += 4;
  }

  void bytes(byte[] data) {
    bytes(data, 0, data.length);
  }

  void bytes(byte[] data, int offset, int length) {
    if (out != null) {
      System.arraycopy(data, offset, out, position, length);
    }
    position += length;
  }

  /** {@code n} zero bytes: reserved and pre-defined fields (the target array may be reused). */
  void zeros(int n) {
    if (out != null) {
      Arrays.fill(out, position, position + n, (byte) 0);
    }
    position += n;
  }
}
