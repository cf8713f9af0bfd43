package io.camflow.webrtc.ice;

import java.security.SecureRandom;

/**
 * One side's ICE credentials (RFC 8839 §5.4): {@code ice-ufrag} (4–256 ice-chars) and {@code
 * ice-pwd} (22–256 ice-chars). The password keys MESSAGE-INTEGRITY; {@link #toString()} never shows
 * it.
 */
public record IceCredentials(String ufrag, String pwd) {

  private static final String ICE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final SecureRandom RANDOM = new SecureRandom();

  public IceCredentials {
    if (!isIceString(ufrag, 4)) {
      throw new IllegalArgumentException("ice-ufrag must be 4 to 256 ice-chars");
    }
    if (!isIceString(pwd, 22)) {
      throw new IllegalArgumentException("ice-pwd must be 22 to 256 ice-chars");
    }
  }

  /**
   * Fresh local credentials: 8-character ufrag (48 bits, enough to be unique per server),
   * 24-character pwd (144 bits).
   */
  public static IceCredentials generate() {
    return new IceCredentials(random(8), random(24));
  }

  /** Whether {@code s} is a valid ice-ufrag/ice-pwd of at least {@code min} characters. */
  public static boolean isIceString(String s, int min) {
    if (s == null || s.length() < min || s.length() > 256) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (ICE_CHARS.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String random(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "IceCredentials[ufrag=" + ufrag + ", pwd=***]";
  }
}
