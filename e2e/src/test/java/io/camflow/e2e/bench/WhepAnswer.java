package io.camflow.e2e.bench;

import io.camflow.media.sdp.Candidate;
import io.camflow.media.sdp.Fingerprint;
import io.camflow.media.sdp.Ice;
import io.camflow.media.sdp.MediaDescription;
import io.camflow.media.sdp.SessionDescription;
import io.camflow.webrtc.dtls.CertificateFingerprint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;

/**
 * What {@link WhepLoadClient} needs from the server's SDP answer: its ICE credentials, certificate
 * fingerprint, the UDP host candidates (highest priority first) and the video payload type it
 * chose.
 */
record WhepAnswer(
    String ufrag,
    String pwd,
    CertificateFingerprint fingerprint,
    List<InetSocketAddress> candidates,
    int videoPayloadType) {

  /**
   * @throws IllegalArgumentException when the answer lacks a part a WebRTC answer must have
   */
  static WhepAnswer parse(String sdp) {
    SessionDescription answer = SessionDescription.parse(sdp);
    MediaDescription video =
        answer.media().stream()
            .filter(m -> m.media().equals("video") && m.port() != 0)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("the answer accepts no video section"));
    Ice ice = answer.iceOf(video);
    Fingerprint fp =
        answer.fingerprintsOf(video).stream()
            .filter(f -> f.hashFunction().equalsIgnoreCase("sha-256"))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("the answer has no sha-256 fingerprint"));
    if (ice == null) {
      throw new IllegalArgumentException("the answer has no ICE credentials");
    }
    List<InetSocketAddress> candidates =
        answer.media().stream()
            .flatMap(m -> m.candidates().stream())
            .filter(c -> c.transport().equalsIgnoreCase("udp") && c.component() == 1)
            .sorted(Comparator.comparingLong(Candidate::priority).reversed())
            .map(WhepAnswer::address)
            .distinct()
            .toList();
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("the answer has no UDP candidate");
    }
    return new WhepAnswer(
        ice.ufrag(),
        ice.pwd(),
        CertificateFingerprint.parse(fp.hashFunction() + " " + fp.value()),
        candidates,
        video.payloadTypes().get(0));
  }

  /**
   * The candidate to check: a loopback one when the server announces it (same machine), else the
   * best.
   */
  InetSocketAddress preferredCandidate() {
    return candidates.stream()
        .filter(a -> a.getAddress().isLoopbackAddress())
        .findFirst()
        .orElse(candidates.get(0));
  }

  private static InetSocketAddress address(Candidate c) {
    try {
      return new InetSocketAddress(InetAddress.getByName(c.address()), c.port());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("candidate address " + c.address() + " does not resolve");
    }
  }
}
