package io.camflow.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The record itself; reading it from camflow's options is delivery's {@code
 * TransportSettingsFromOptionsTest}.
 */
class WebRtcTransportSettingsTest {

  @Test
  void defaults() {
    WebRtcTransportSettings d = WebRtcTransportSettings.defaults();
    assertEquals(8189, d.port());
    assertEquals(List.of(), d.extraHosts());
    assertFalse(d.loopbackCandidates());
    assertTrue(d.interfaceCandidates());
    assertEquals(Duration.ofSeconds(30), d.consentTimeout());
    assertEquals(Duration.ofSeconds(10), d.handshakeTimeout());
    assertEquals(8, d.handshakesPerAddress());
    assertEquals(64, d.handshakes());
    WebRtcTransportSettings s =
        d.withPort(9000)
            .withExtraHosts(List.of("203.0.113.7"))
            .withLoopbackCandidates(true)
            .withConsentTimeout(Duration.ofSeconds(5))
            .withHandshakeTimeout(Duration.ofSeconds(4))
            .withHandshakeLimits(2, 16)
            .withInterfaceCandidates(false);
    assertEquals(
        new WebRtcTransportSettings(
            9000,
            List.of("203.0.113.7"),
            true,
            Duration.ofSeconds(5),
            Duration.ofSeconds(4),
            2,
            16,
            false),
        s);
  }

  @Test
  void refusesNonsenseNamingTheVariable() {
    WebRtcTransportSettings d = WebRtcTransportSettings.defaults();
    assertRefused("CAMFLOW_WEBRTC_PORT", () -> d.withPort(70000));
    assertRefused("CAMFLOW_WEBRTC_PORT", () -> d.withPort(-1));
    assertRefused(
        "CAMFLOW_WEBRTC_CONSENT_TIMEOUT", () -> d.withConsentTimeout(Duration.ofMillis(10)));
    assertRefused(
        "CAMFLOW_WEBRTC_CONSENT_TIMEOUT", () -> d.withConsentTimeout(Duration.ofMinutes(11)));
    assertRefused(
        "CAMFLOW_WEBRTC_DTLS_TIMEOUT", () -> d.withHandshakeTimeout(Duration.ofMillis(50)));
    assertRefused(
        "CAMFLOW_WEBRTC_DTLS_TIMEOUT", () -> d.withHandshakeTimeout(Duration.ofMinutes(2)));
    assertRefused("CAMFLOW_WEBRTC_DTLS_HANDSHAKES", () -> d.withHandshakeLimits(100, 64));
    assertRefused("CAMFLOW_WEBRTC_DTLS_HANDSHAKES", () -> d.withHandshakeLimits(0, 64));
    assertRefused("CAMFLOW_WEBRTC_DTLS_HANDSHAKES", () -> d.withHandshakeLimits(8, 20_000));
    assertRefused("CAMFLOW_WEBRTC_HOSTS", () -> d.withInterfaceCandidates(false));
  }

  private static void assertRefused(String variable, Runnable make) {
    String message = assertThrows(IllegalArgumentException.class, make::run).getMessage();
    assertTrue(message.contains(variable), message);
  }
}
