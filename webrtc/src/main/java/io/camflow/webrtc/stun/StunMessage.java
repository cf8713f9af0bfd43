package io.camflow.webrtc.stun;

import java.util.List;
import java.util.Optional;

/**
 * A decoded STUN message. Besides type, transaction id and attributes it keeps the bytes it was
 * decoded from and where MESSAGE-INTEGRITY and FINGERPRINT start, because both are checked over the
 * message as received (RFC 5389 §15.4, §15.5).
 *
 * @param type message type (method and class, e.g. {@link #BINDING_REQUEST})
 * @param transactionId the 12-byte transaction id
 * @param attributes attributes in wire order; those after MESSAGE-INTEGRITY other than FINGERPRINT
 *     are left out, as RFC 5389 §15.4 requires
 * @param raw the whole message as received
 * @param integrityOffset offset of the MESSAGE-INTEGRITY attribute header in {@code raw}, or -1
 * @param fingerprintOffset offset of the FINGERPRINT attribute header in {@code raw}, or -1
 */
public record StunMessage(
    int type,
    byte[] transactionId,
    List<StunAttribute> attributes,
    byte[] raw,
    int integrityOffset,
    int fingerprintOffset) {

  public static final int MAGIC_COOKIE = 0x2112A442;
  public static final int HEADER_LENGTH = 20;
  public static final int BINDING_REQUEST = 0x0001;
  public static final int BINDING_INDICATION = 0x0011;
  public static final int BINDING_SUCCESS = 0x0101;
  public static final int BINDING_ERROR = 0x0111;

  public StunMessage {
    attributes = List.copyOf(attributes);
    if (transactionId.length != 12) {
      throw new IllegalArgumentException("a transaction id has 12 bytes");
    }
  }

  /** The first attribute of this type. */
  public Optional<StunAttribute> attribute(int attributeType) {
    for (StunAttribute a : attributes) {
      if (a.type() == attributeType) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public boolean has(int attributeType) {
    return attribute(attributeType).isPresent();
  }

  @Override
  public String toString() {
    return "StunMessage[type=0x"
        + Integer.toHexString(type)
        + ", "
        + attributes.size()
        + " attributes]";
  }
}
