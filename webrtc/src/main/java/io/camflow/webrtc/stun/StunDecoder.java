package io.camflow.webrtc.stun;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes STUN messages (RFC 5389 §6 and §15). It checks the framing only — header bits, magic
 * cookie, lengths, attribute bounds and order — and never throws anything but {@link
 * StunParseException}: whatever reaches the UDP port is untrusted. Integrity and fingerprint are
 * checked by {@link StunIntegrity} on the result.
 */
public final class StunDecoder {

  private StunDecoder() {}

  /** Whether a datagram could be STUN at all (RFC 7983: first byte 0–3, plus the magic cookie). */
  public static boolean looksLikeStun(byte[] buf, int off, int len) {
    return len >= StunMessage.HEADER_LENGTH
        && (buf[off] & 0xC0) == 0
        && readInt(buf, off + 4) == StunMessage.MAGIC_COOKIE;
  }

  public static StunMessage decode(byte[] buf) throws StunParseException {
    return decode(buf, 0, buf.length);
  }

  public static StunMessage decode(byte[] buf, int off, int len) throws StunParseException {
    if (buf == null || off < 0 || len < 0 || off + len > buf.length) {
      throw new StunParseException("no such region in the buffer");
    }
    if (len < StunMessage.HEADER_LENGTH) {
      throw new StunParseException("shorter than a STUN header: " + len + " bytes");
    }
    if ((buf[off] & 0xC0) != 0) {
      throw new StunParseException("the two leading bits of a STUN message must be zero");
    }
    int type = readShort(buf, off);
    int bodyLength = readShort(buf, off + 2);
    if (readInt(buf, off + 4) != StunMessage.MAGIC_COOKIE) {
      throw new StunParseException("no STUN magic cookie");
    }
    if ((bodyLength & 3) != 0) {
      throw new StunParseException("STUN message length not a multiple of 4: " + bodyLength);
    }
    if (StunMessage.HEADER_LENGTH + bodyLength != len) {
      throw new StunParseException(
          "STUN length field "
              + bodyLength
              + " does not match the datagram's "
              + (len - StunMessage.HEADER_LENGTH)
              + " bytes after the header");
    }
    byte[] raw = Arrays.copyOfRange(buf, off, off + len);
    byte[] transactionId = Arrays.copyOfRange(raw, 8, 20);
    List<StunAttribute> attributes = new ArrayList<>();
    int integrityOffset = -1;
    int fingerprintOffset = -1;
    int pos = StunMessage.HEADER_LENGTH;
    while (pos < len) {
      if (fingerprintOffset >= 0) {
        throw new StunParseException("attribute after FINGERPRINT");
      }
      if (len - pos < 4) {
        throw new StunParseException("truncated attribute header at " + pos);
      }
      int attrType = readShort(raw, pos);
      int attrLength = readShort(raw, pos + 2);
      int padded = (attrLength + 3) & ~3;
      if (padded > len - pos - 4) {
        throw new StunParseException(
            "attribute 0x" + Integer.toHexString(attrType) + " runs past the message end");
      }
      byte[] value = Arrays.copyOfRange(raw, pos + 4, pos + 4 + attrLength);
      if (attrType == StunAttribute.FINGERPRINT) {
        if (attrLength != 4) {
          throw new StunParseException("FINGERPRINT must have 4 bytes, has " + attrLength);
        }
        fingerprintOffset = pos;
        attributes.add(new StunAttribute(attrType, value));
      } else if (integrityOffset >= 0) {
        // RFC 5389 §15.4: everything between MESSAGE-INTEGRITY and FINGERPRINT is ignored
      } else {
        if (attrType == StunAttribute.MESSAGE_INTEGRITY) {
          if (attrLength != 20) {
            throw new StunParseException("MESSAGE-INTEGRITY must have 20 bytes, has " + attrLength);
          }
          integrityOffset = pos;
        }
        attributes.add(new StunAttribute(attrType, value));
      }
      pos += 4 + padded;
    }
    return new StunMessage(
        type, transactionId, attributes, raw, integrityOffset, fingerprintOffset);
  }

  static int readShort(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }
}
