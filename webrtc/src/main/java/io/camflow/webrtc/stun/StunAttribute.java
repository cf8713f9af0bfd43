package io.camflow.webrtc.stun;

import java.nio.charset.StandardCharsets;

/**
 * One STUN attribute: its type and its value without padding. The type numbers ICE-lite uses are
 * constants here (RFC 5389 §15, RFC 8445 §16.1).
 */
public record StunAttribute(int type, byte[] value) {

  public static final int MAPPED_ADDRESS = 0x0001;
  public static final int USERNAME = 0x0006;
  public static final int MESSAGE_INTEGRITY = 0x0008;
  public static final int ERROR_CODE = 0x0009;
  public static final int REALM = 0x0014;
  public static final int NONCE = 0x0015;
  public static final int XOR_MAPPED_ADDRESS = 0x0020;
  public static final int PRIORITY = 0x0024;
  public static final int USE_CANDIDATE = 0x0025;
  public static final int SOFTWARE = 0x8022;
  public static final int FINGERPRINT = 0x8028;
  public static final int ICE_CONTROLLED = 0x8029;
  public static final int ICE_CONTROLLING = 0x802A;

  public StunAttribute {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("attribute type out of range: " + type);
    }
    if (value.length > 0xFFFF) {
      throw new IllegalArgumentException("attribute value too long: " + value.length);
    }
  }

  /** The value read as UTF-8 (USERNAME, SOFTWARE, REALM, NONCE). */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "StunAttribute[0x" + Integer.toHexString(type) + ", " + value.length + " bytes]";
  }
}
