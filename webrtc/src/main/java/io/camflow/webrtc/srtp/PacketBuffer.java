package io.camflow.webrtc.srtp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * A packet in a byte array with room behind it, the form jitsi-srtp transforms in place. {@code
 * grow} only makes room (jitsi-srtp sets the length itself); GCM writes its tag behind the payload
 * without asking, so every buffer keeps {@link #TAIL_ROOM} spare bytes.
 */
public final class PacketBuffer implements ByteArrayBuffer {

  /**
   * Enough for the largest SRTP/SRTCP trailer: a 16-byte tag plus the 4-byte SRTCP index, and an
   * MKI-free margin.
   */
  public static final int TAIL_ROOM = 64;

  private byte[] buffer;
  private int offset;
  private int length;

  public PacketBuffer(int capacity) {
    this.buffer = new byte[capacity + TAIL_ROOM];
  }

  /** A buffer holding a copy of {@code data[off..off+len)}. */
  public static PacketBuffer copyOf(byte[] data, int off, int len) {
    PacketBuffer p = new PacketBuffer(len);
    p.set(data, off, len);
    return p;
  }

  /** Replaces the contents with a copy of {@code data[off..off+len)}, growing when needed. */
  public PacketBuffer set(byte[] data, int off, int len) {
    if (buffer.length < len + TAIL_ROOM) {
      buffer = new byte[len + TAIL_ROOM];
    }
    System.arraycopy(data, off, buffer, 0, len);
    offset = 0;
    length = len;
    return this;
  }

  /** Replaces the contents with the remaining bytes of {@code data} (its position is not moved). */
  public PacketBuffer set(ByteBuffer data) {
    int len = data.remaining();
    if (buffer.length < len + TAIL_ROOM) {
      buffer = new byte[len + TAIL_ROOM];
    }
    data.duplicate().get(buffer, 0, len);
    offset = 0;
    length = len;
    return this;
  }

  public byte[] toArray() {
    return Arrays.copyOfRange(buffer, offset, offset + length);
  }

  @Override
  public byte[] getBuffer() {
    return buffer;
  }

  @Override
  public int getOffset() {
    return offset;
  }

  @Override
  public int getLength() {
    return length;
  }

  @Override
  public void setLength(int len) {
    if (len < 0 || offset + len > buffer.length) {
      throw new IllegalArgumentException("length " + len + " does not fit");
    }
    length = len;
  }

  @Override
  public void setOffset(int off) {
    if (off < 0 || off + length > buffer.length) {
      throw new IllegalArgumentException("offset " + off + " does not fit");
    }
    offset = off;
  }

  @Override
  public boolean isInvalid() {
    return false;
  }

  @Override
  public void readRegionToBuff(int off, int len, byte[] out) {
    int start = offset + off;
    if (off < 0 || len <= 0 || start + len > buffer.length || out.length < len) {
      return;
    }
    System.arraycopy(buffer, start, out, 0, len);
  }

  @Override
  public void grow(int howMuch) {
    if (howMuch < 0) {
      throw new IllegalArgumentException("howMuch < 0");
    }
    if (offset + length + howMuch + TAIL_ROOM > buffer.length) {
      byte[] bigger = new byte[length + howMuch + TAIL_ROOM];
      System.arraycopy(buffer, offset, bigger, 0, length);
      buffer = bigger;
      offset = 0;
    }
  }

  @Override
  public void append(byte[] data, int len) {
    grow(len);
    System.arraycopy(data, 0, buffer, offset + length, len);
    length += len;
  }

  @Override
  public void shrink(int len) {
    if (len <= 0) {
      return;
    }
    length = Math.max(0, length - len);
  }
}
