package io.camflow.webrtc.srtp;

import org.jitsi.srtp.SrtpPolicy;

/**
 * The SRTP protection profiles camflow negotiates in DTLS's use_srtp extension (RFC 5764 §4.1.2,
 * RFC 7714 §14.2), in order of preference: AES-GCM when the browser offers it (one pass over the
 * payload, and the JDK's AES-GCM uses AES-NI), else AES-CM with an 80-bit HMAC-SHA1 tag, which
 * every WebRTC stack supports.
 */
public enum SrtpProfile {
  AEAD_AES_128_GCM(0x0007, 16, 12),
  AES128_CM_HMAC_SHA1_80(0x0001, 16, 14);

  private final int id;
  private final int keyLength;
  private final int saltLength;

  SrtpProfile(int id, int keyLength, int saltLength) {
    this.id = id;
    this.keyLength = keyLength;
    this.saltLength = saltLength;
  }

  /** The SRTPProtectionProfile number in use_srtp. */
  public int id() {
    return id;
  }

  public int keyLength() {
    return keyLength;
  }

  public int saltLength() {
    return saltLength;
  }

  /**
   * Bytes to export from DTLS: client key, server key, client salt, server salt (RFC 5764 §4.2).
   */
  public int exporterLength() {
    return 2 * (keyLength + saltLength);
  }

  /** Bytes SRTP adds to an RTP packet (the tag; GCM's tag is part of the ciphertext). */
  public int rtpOverhead() {
    return this == AEAD_AES_128_GCM ? 16 : 10;
  }

  /**
   * A new jitsi-srtp policy (the class is mutable, so never shared). The send-side replay check is
   * off: it only guards jitsi's own consistency and would refuse a deliberate resend of a sequence
   * number.
   */
  public SrtpPolicy policy() {
    SrtpPolicy policy =
        switch (this) {
          case AEAD_AES_128_GCM ->
              new SrtpPolicy(
                  SrtpPolicy.AESGCM_ENCRYPTION,
                  keyLength,
                  SrtpPolicy.NULL_AUTHENTICATION,
                  0,
                  16,
                  saltLength);
          case AES128_CM_HMAC_SHA1_80 ->
              new SrtpPolicy(
                  SrtpPolicy.AESCM_ENCRYPTION,
                  keyLength,
                  SrtpPolicy.HMACSHA1_AUTHENTICATION,
                  20,
                  10,
                  saltLength);
        };
    policy.setSendReplayEnabled(false);
    return policy;
  }

  /** The first profile in our preference that the peer offered, or null. */
  public static SrtpProfile choose(int[] offered) {
    for (SrtpProfile p : values()) {
      for (int o : offered) {
        if (o == p.id) {
          return p;
        }
      }
    }
    return null;
  }

  public static SrtpProfile byId(int id) {
    for (SrtpProfile p : values()) {
      if (p.id == id) {
        return p;
      }
    }
    throw new IllegalArgumentException("unsupported SRTP profile 0x" + Integer.toHexString(id));
  }
}
