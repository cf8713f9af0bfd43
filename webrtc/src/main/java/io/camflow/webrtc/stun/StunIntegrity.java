package io.camflow.webrtc.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, RFC 5389 §15.4) and FINGERPRINT (CRC-32 XOR 0x5354554E, §15.5):
 * computing them for messages we send and checking them on messages we receive. Both cover the
 * message up to the attribute with the header's length field set as if the attribute were last.
 */
public final class StunIntegrity {

  static final int FINGERPRINT_XOR = 0x5354554E;
  static final int INTEGRITY_LENGTH = 20;

  private StunIntegrity() {}

  /**
   * The key of ICE's short-term credentials: the password's UTF-8 bytes (ice-pwd is ASCII, SASLprep
   * leaves it).
   */
  public static byte[] shortTermKey(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether the message carries MESSAGE-INTEGRITY and it matches {@code key}. Constant time in the
   * HMAC.
   */
  public static boolean hasValidIntegrity(StunMessage message, byte[] key) {
    int at = message.integrityOffset();
    if (at < 0) {
      return false;
    }
    byte[] expected =
        hmac(key, message.raw(), at, at + 4 + INTEGRITY_LENGTH - StunMessage.HEADER_LENGTH);
    byte[] actual = Arrays.copyOfRange(message.raw(), at + 4, at + 4 + INTEGRITY_LENGTH);
    return MessageDigest.isEqual(expected, actual);
  }

  /** Whether the message carries FINGERPRINT and it matches. */
  public static boolean hasValidFingerprint(StunMessage message) {
    int at = message.fingerprintOffset();
    if (at < 0) {
      return false;
    }
    int expected = fingerprint(message.raw(), at, at + 8 - StunMessage.HEADER_LENGTH);
    return expected == StunDecoder.readInt(message.raw(), at + 4);
  }

  /**
   * HMAC-SHA1 over {@code msg[0..end)} with the header's length field replaced by {@code
   * lengthField}.
   */
  static byte[] hmac(byte[] key, byte[] msg, int end, int lengthField) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA1"));
      mac.update(msg, 0, 2);
      mac.update(new byte[] {(byte) (lengthField >> 8), (byte) lengthField});
      mac.update(msg, 4, end - 4);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
    }
  }

  /**
   * CRC-32 XOR 0x5354554E over {@code msg[0..end)} with the length field replaced by {@code
   * lengthField}.
   */
  static int fingerprint(byte[] msg, int end, int lengthField) {
    CRC32 crc = new CRC32();
    crc.update(msg, 0, 2);
    crc.update(new byte[] {(byte) (lengthField >> 8), (byte) lengthField});
    crc.update(msg, 4, end - 4);
    return (int) crc.getValue() ^ FINGERPRINT_XOR;
  }
}
