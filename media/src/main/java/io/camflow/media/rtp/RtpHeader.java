package io.camflow.media.rtp;

/**
 * The fixed RTP header fields camflow writes (RFC 3550 5.1): version 2, no padding, no extension,
 * no CSRCs, so always {@value #SIZE} bytes on the wire.
 *
 * @param payloadType 7 bits, 0..127
 * @param marker video: last packet of an access unit
 * @param sequenceNumber 16 bits, 0..65535
 * @param timestamp 32 bits, 0..2^32-1, in the payload's clock rate
 * @param ssrc 32 bits, 0..2^32-1
 */
public record RtpHeader(
    int payloadType, boolean marker, int sequenceNumber, long timestamp, long ssrc) {

  public static final int SIZE = 12;
  static final int VERSION = 2;

  public RtpHeader {
    if (payloadType < 0 || payloadType > 127) {
      throw new IllegalArgumentException("payload type must be 0..127, was " + payloadType);
    }
    if (sequenceNumber < 0 || sequenceNumber > 0xFFFF) {
      throw new IllegalArgumentException("sequence number must be 0..65535, was " + sequenceNumber);
    }
    if (timestamp < 0 || timestamp > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("timestamp must be 0..2^32-1, was " + timestamp);
    }
    if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("SSRC must be 0..2^32-1, was " + ssrc);
    }
  }

  /** Writes the {@value #SIZE} header bytes at {@code offset}; returns {@value #SIZE}. */
  public int writeTo(byte[] buffer, int offset) {
    if (offset < 0 || buffer.length - offset < SIZE) {
      throw new IllegalArgumentException(
          "no room for an RTP header at offset " + offset + " of " + buffer.length);
    }
    buffer[offset] = (byte) (VERSION << 6);
    buffer[offset + 1] = (byte) ((marker ? 0x80 : 0) | payloadType);
    buffer[offset + 2] = (byte) (sequenceNumber >>> 8);
    buffer[offset + 3] = (byte) sequenceNumber;
    writeInt(buffer, offset + 4, timestamp);
    writeInt(buffer, offset + 8, ssrc);
    return SIZE;
  }

  private static void writeInt(byte[] b, int at, long value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }
}
