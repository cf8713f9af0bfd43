package io.camflow.e2e.bench;

import io.camflow.webrtc.dtls.CertificateFingerprint;
import java.security.SecureRandom;

/**
 * The SDP offer of {@link WhepLoadClient}, shaped like Chromium's for a receive-only video
 * transceiver: H.264 Constrained Baseline (42e01f) and High (640c1f) with packetization-mode=1,
 * each with its RTX, NACK/PLI/FIR feedback, rtcp-mux and rtcp-rsize, {@code a=setup:actpass}, and
 * the client's ICE credentials and certificate fingerprint. No candidates: the client checks the
 * server's candidates itself (the server is ICE-lite and never checks towards us).
 */
record WhepOffer(String ufrag, String pwd, CertificateFingerprint fingerprint) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ICE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** Fresh ICE credentials (4 and 24 characters, as browsers make them) for {@code fingerprint}. */
  static WhepOffer fresh(CertificateFingerprint fingerprint) {
    return new WhepOffer(iceString(4), iceString(24), fingerprint);
  }

  String sdp() {
    return String.join(
        "\r\n",
        "v=0",
        "o=- " + Math.abs(RANDOM.nextLong()) + " 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS",
        "m=video 9 UDP/TLS/RTP/SAVPF 102 103 112 113",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:" + ufrag,
        "a=ice-pwd:" + pwd,
        "a=ice-options:trickle",
        "a=fingerprint:" + fingerprint.toSdp(),
        "a=setup:actpass",
        "a=mid:0",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=recvonly",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=rtpmap:102 H264/90000",
        "a=rtcp-fb:102 goog-remb",
        "a=rtcp-fb:102 transport-cc",
        "a=rtcp-fb:102 ccm fir",
        "a=rtcp-fb:102 nack",
        "a=rtcp-fb:102 nack pli",
        "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
        "a=rtpmap:103 rtx/90000",
        "a=fmtp:103 apt=102",
        "a=rtpmap:112 H264/90000",
        "a=rtcp-fb:112 goog-remb",
        "a=rtcp-fb:112 transport-cc",
        "a=rtcp-fb:112 ccm fir",
        "a=rtcp-fb:112 nack",
        "a=rtcp-fb:112 nack pli",
        "a=fmtp:112 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=640c1f",
        "a=rtpmap:113 rtx/90000",
        "a=fmtp:113 apt=112",
        "");
  }

  private static String iceString(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
    }
    return b.toString();
  }
}
