package io.camflow.webrtc;

import java.time.Duration;
import java.util.List;

/**
 * How the WebRTC media port runs (docs/webrtc.md, "Transport"). The names in parentheses are the
 * options delivery-service reads them from ({@code TransportSettingsFromOptions}).
 *
 * @param port the one UDP port of all sessions ({@code CAMFLOW_WEBRTC_PORT}, 8189; 0 picks a free
 *     one)
 * @param extraHosts IPs or names announced as host candidates before this machine's addresses: a
 *     NAT's public address, the Docker host's address ({@code CAMFLOW_WEBRTC_HOSTS})
 * @param loopbackCandidates whether 127.0.0.1/::1 are candidates too ({@code
 *     CAMFLOW_WEBRTC_LOOPBACK}; tests, one-machine setups)
 * @param consentTimeout a session without a valid STUN check for this long is closed (RFC 7675;
 *     {@code CAMFLOW_WEBRTC_CONSENT_TIMEOUT}, 30000). Also bounds how long a new session waits for
 *     its first check.
 * @param handshakeTimeout a DTLS handshake not done in this time fails the session ({@code
 *     CAMFLOW_WEBRTC_DTLS_TIMEOUT}, 10000): how long a silent peer can hold a handshake slot
 * @param handshakesPerAddress DTLS handshakes running at once for one client address — an IPv4
 *     address or an IPv6 /64 ({@code CAMFLOW_WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS}, 8)
 * @param handshakes DTLS handshakes running at once in all ({@code CAMFLOW_WEBRTC_DTLS_HANDSHAKES},
 *     64); a ClientHello beyond either limit is dropped and the browser's retransmission tries
 *     again
 * @param interfaceCandidates whether this machine's interface addresses are announced ({@code
 *     CAMFLOW_WEBRTC_INTERFACE_HOSTS})
 */
public record WebRtcTransportSettings(
    int port,
    List<String> extraHosts,
    boolean loopbackCandidates,
    Duration consentTimeout,
    Duration handshakeTimeout,
    int handshakesPerAddress,
    int handshakes,
    boolean interfaceCandidates) {

  public static final int DEFAULT_PORT = 8189;

  public WebRtcTransportSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("CAMFLOW_WEBRTC_PORT must be 0..65535, was " + port);
    }
    extraHosts = List.copyOf(extraHosts);
    if (!interfaceCandidates && extraHosts.isEmpty() && !loopbackCandidates) {
      throw new IllegalArgumentException(
          "CAMFLOW_WEBRTC_INTERFACE_HOSTS=off needs CAMFLOW_WEBRTC_HOSTS: "
              + "there would be no address to announce");
    }
    if (consentTimeout.toMillis() < 100 || consentTimeout.toMinutes() > 10) {
      throw new IllegalArgumentException(
          "CAMFLOW_WEBRTC_CONSENT_TIMEOUT must be 100 ms to 10 min, was "
              + consentTimeout.toMillis());
    }
    if (handshakeTimeout.toMillis() < 100 || handshakeTimeout.toMinutes() > 1) {
      throw new IllegalArgumentException(
          "CAMFLOW_WEBRTC_DTLS_TIMEOUT must be 100 ms to 1 min, was "
              + handshakeTimeout.toMillis());
    }
    if (handshakesPerAddress < 1 || handshakesPerAddress > handshakes || handshakes > 10_000) {
      throw new IllegalArgumentException(
          "CAMFLOW_WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS must be 1 to CAMFLOW_WEBRTC_DTLS_HANDSHAKES "
              + "(at most 10000), were "
              + handshakesPerAddress
              + " and "
              + handshakes);
    }
  }

  /**
   * Port 8189, no extra hosts, no loopback, consent 30 s, handshakes: 10 s, 8 per address, 64 in
   * all.
   */
  public static WebRtcTransportSettings defaults() {
    return new WebRtcTransportSettings(
        DEFAULT_PORT,
        List.of(),
        false,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        8,
        64,
        true);
  }

  public WebRtcTransportSettings withPort(int newPort) {
    return new WebRtcTransportSettings(
        newPort,
        extraHosts,
        loopbackCandidates,
        consentTimeout,
        handshakeTimeout,
        handshakesPerAddress,
        handshakes,
        interfaceCandidates);
  }

  public WebRtcTransportSettings withLoopbackCandidates(boolean loopback) {
    return new WebRtcTransportSettings(
        port,
        extraHosts,
        loopback,
        consentTimeout,
        handshakeTimeout,
        handshakesPerAddress,
        handshakes,
        interfaceCandidates);
  }

  public WebRtcTransportSettings withConsentTimeout(Duration timeout) {
    return new WebRtcTransportSettings(
        port,
        extraHosts,
        loopbackCandidates,
        timeout,
        handshakeTimeout,
        handshakesPerAddress,
        handshakes,
        interfaceCandidates);
  }

  /**
   * Announces only the extra hosts (and loopback if asked), not this machine's interface addresses.
   */
  public WebRtcTransportSettings withInterfaceCandidates(boolean announce) {
    return new WebRtcTransportSettings(
        port,
        extraHosts,
        loopbackCandidates,
        consentTimeout,
        handshakeTimeout,
        handshakesPerAddress,
        handshakes,
        announce);
  }

  /** How long a DTLS handshake may take (and a silent peer hold its slot). */
  public WebRtcTransportSettings withHandshakeTimeout(Duration timeout) {
    return new WebRtcTransportSettings(
        port,
        extraHosts,
        loopbackCandidates,
        consentTimeout,
        timeout,
        handshakesPerAddress,
        handshakes,
        interfaceCandidates);
  }

  /**
   * At most {@code perAddress} DTLS handshakes at once per client address, {@code total} in all.
   */
  public WebRtcTransportSettings withHandshakeLimits(int perAddress, int total) {
    return new WebRtcTransportSettings(
        port,
        extraHosts,
        loopbackCandidates,
        consentTimeout,
        handshakeTimeout,
        perAddress,
        total,
        interfaceCandidates);
  }

  public WebRtcTransportSettings withExtraHosts(List<String> hosts) {
    return new WebRtcTransportSettings(
        port,
        hosts,
        loopbackCandidates,
        consentTimeout,
        handshakeTimeout,
        handshakesPerAddress,
        handshakes,
        interfaceCandidates);
  }
}
