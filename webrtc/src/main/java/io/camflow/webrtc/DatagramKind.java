package io.camflow.webrtc;

/**
 * What arrived on the shared port, told by the first byte (RFC 7983 §7): 0–3 STUN, 20–63 DTLS,
 * 128–191 RTP/RTCP. The rest (ZRTP, TURN channels, junk) is {@link #OTHER} and dropped.
 */
public enum DatagramKind {
  STUN,
  DTLS,
  RTP_OR_RTCP,
  OTHER;

  public static DatagramKind of(byte first) {
    int b = first & 0xFF;
    if (b <= 3) {
      return STUN;
    }
    if (b >= 20 && b <= 63) {
      return DTLS;
    }
    if (b >= 128 && b <= 191) {
      return RTP_OR_RTCP;
    }
    return OTHER;
  }

  /**
   * With rtcp-mux, RTCP's packet types 192–223 sit where RTP has marker bit + payload type 64–95
   * (RFC 5761 §4).
   */
  public static boolean isRtcp(byte second) {
    int pt = second & 0x7F;
    return pt >= 64 && pt <= 95;
  }
}
