package io.camflow.media.sdp;

import java.util.Locale;

/**
 * {@code a=fingerprint:<hash function> <hex pairs>} (RFC 8122 5): the peer's DTLS certificate
 * digest, which the DTLS handshake must match.
 *
 * @param hashFunction lower-cased, e.g. {@code sha-256}
 * @param value upper-case hex pairs separated by colons
 */
public record Fingerprint(String hashFunction, String value) {

  static Fingerprint parse(String text) {
    String[] parts = text.trim().split(" +");
    if (parts.length != 2) {
      throw new IllegalArgumentException("fingerprint must be '<hash function> <hex pairs>'");
    }
    if (!isHexPairs(parts[1])) {
      throw new IllegalArgumentException("fingerprint value must be colon-separated hex pairs");
    }
    return new Fingerprint(parts[0].toLowerCase(Locale.ROOT), parts[1].toUpperCase(Locale.ROOT));
  }

  /** {@code AB:CD:...}; checked by hand, as a regex with a repeated group recurses per pair. */
  private static boolean isHexPairs(String text) {
    if (text.length() % 3 != 2) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = i % 3 == 2 ? c == ':' : Character.digit(c, 16) >= 0 && c < 128;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of the digest. */
  public byte[] digest() {
    String[] pairs = value.split(":");
    byte[] bytes = new byte[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      bytes[i] = (byte) Integer.parseInt(pairs[i], 16);
    }
    return bytes;
  }

  /** The SDP form of a SHA-256 digest: 32 upper-case hex pairs. */
  public static Fingerprint sha256(byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
    }
    StringBuilder s = new StringBuilder();
    for (byte b : digest) {
      s.append(s.isEmpty() ? "" : ":").append(String.format("%02X", b & 0xFF));
    }
    return new Fingerprint("sha-256", s.toString());
  }
}
