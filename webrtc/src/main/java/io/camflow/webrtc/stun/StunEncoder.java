package io.camflow.webrtc.stun;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a STUN message: header, attributes in the order added, then optionally MESSAGE-INTEGRITY
 * and FINGERPRINT, which must come last and in that order.
 *
 * <pre>{@code
 * byte[] response = new StunEncoder(StunMessage.BINDING_SUCCESS, request.transactionId())
 *     .add(StunAttribute.XOR_MAPPED_ADDRESS, XorMappedAddress.encode(peer, request.transactionId()))
 *     .addIntegrity(key)
 *     .addFingerprint()
 *     .toBytes();
 * }</pre>
 */
public final class StunEncoder {

  private byte[] buf = new byte[128];
  private int length = StunMessage.HEADER_LENGTH;
  private boolean integrityAdded;
  private boolean fingerprintAdded;

  public StunEncoder(int type, byte[] transactionId) {
    if (type < 0 || type > 0x3FFF) {
      throw new IllegalArgumentException("STUN message type out of range: " + type);
    }
    if (transactionId.length != 12) {
      throw new IllegalArgumentException("a transaction id has 12 bytes");
    }
    buf[0] = (byte) (type >> 8);
    buf[1] = (byte) type;
    writeInt(4, StunMessage.MAGIC_COOKIE);
    System.arraycopy(transactionId, 0, buf, 8, 12);
  }

  public StunEncoder add(int type, byte[] value) {
    if (integrityAdded || fingerprintAdded) {
      throw new IllegalStateException("attributes go before MESSAGE-INTEGRITY and FINGERPRINT");
    }
    return append(type, value);
  }

  public StunEncoder add(int type, String value) {
    return add(type, value.getBytes(StandardCharsets.UTF_8));
  }

  public StunEncoder add(StunAttribute attribute) {
    return add(attribute.type(), attribute.value());
  }

  /** MESSAGE-INTEGRITY: HMAC-SHA1 with {@code key} over everything so far. */
  public StunEncoder addIntegrity(byte[] key) {
    if (integrityAdded || fingerprintAdded) {
      throw new IllegalStateException("MESSAGE-INTEGRITY only once, before FINGERPRINT");
    }
    int at = length;
    byte[] hmac =
        StunIntegrity.hmac(
            key, buf, at, at + 4 + StunIntegrity.INTEGRITY_LENGTH - StunMessage.HEADER_LENGTH);
    append(StunAttribute.MESSAGE_INTEGRITY, hmac);
    integrityAdded = true;
    return this;
  }

  /** FINGERPRINT over everything so far; nothing can be added after it. */
  public StunEncoder addFingerprint() {
    if (fingerprintAdded) {
      throw new IllegalStateException("FINGERPRINT only once");
    }
    int at = length;
    int crc = StunIntegrity.fingerprint(buf, at, at + 8 - StunMessage.HEADER_LENGTH);
    append(
        StunAttribute.FINGERPRINT,
        new byte[] {(byte) (crc >> 24), (byte) (crc >> 16), (byte) (crc >> 8), (byte) crc});
    fingerprintAdded = true;
    return this;
  }

  public byte[] toBytes() {
    return Arrays.copyOf(buf, length);
  }

  private StunEncoder append(int type, byte[] value) {
    int padded = (value.length + 3) & ~3;
    if (length + 4 + padded - StunMessage.HEADER_LENGTH > 0xFFFF) {
      throw new IllegalArgumentException("STUN message too long");
    }
    ensure(length + 4 + padded);
    buf[length] = (byte) (type >> 8);
    buf[length + 1] = (byte) type;
    buf[length + 2] = (byte) (value.length >> 8);
    buf[length + 3] = (byte) value.length;
    System.arraycopy(value, 0, buf, length + 4, value.length);
    Arrays.fill(buf, length + 4 + value.length, length + 4 + padded, (byte) 0);
    length += 4 + padded;
    int body = length - StunMessage.HEADER_LENGTH;
    buf[2] = (byte) (body >> 8);
    buf[3] = (byte) body;
    return this;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }
  }

  private void writeInt(int off, int v) {
    buf[off] = (byte) (v >> 24);
    buf[off + 1] = (byte) (v >> 16);
    buf[off + 2] = (byte) (v >> 8);
    buf[off + 3] = (byte) v;
  }
}
