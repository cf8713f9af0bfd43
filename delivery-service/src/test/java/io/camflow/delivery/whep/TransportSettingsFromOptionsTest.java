package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.options.Settings;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportSettingsFromOptionsTest {

  @Test
  void defaultsAndEnvironment() {
    WebRtcTransportSettings d =
        TransportSettingsFromOptions.from(Settings.fromEnvironment(Map.of()));
    assertEquals(8189, d.port());
    assertEquals(List.of(), d.extraHosts());
    assertFalse(d.loopbackCandidates());
    assertEquals(Duration.ofSeconds(30), d.consentTimeout());
    WebRtcTransportSettings s =
        TransportSettingsFromOptions.from(
            Settings.fromEnvironment(
                Map.of(
                    "CAMFLOW_WEBRTC_PORT",
                    "9000",
                    "CAMFLOW_WEBRTC_HOSTS",
                    " 203.0.113.7, host.docker.internal ,",
                    "CAMFLOW_WEBRTC_LOOPBACK",
                    "true",
                    "CAMFLOW_WEBRTC_CONSENT_TIMEOUT_MS",
                    "5000")));
    assertEquals(9000, s.port());
    assertEquals(List.of("203.0.113.7", "host.docker.internal"), s.extraHosts());
    assertTrue(s.loopbackCandidates());
    assertEquals(Duration.ofSeconds(5), s.consentTimeout());
    assertEquals(Duration.ofSeconds(10), d.handshakeTimeout());
    assertEquals(8, d.handshakesPerAddress());
    assertEquals(64, d.handshakes());
    WebRtcTransportSettings dtls =
        TransportSettingsFromOptions.from(
            Settings.fromEnvironment(
                Map.of(
                    "CAMFLOW_WEBRTC_DTLS_TIMEOUT_MS",
                    "4000",
                    "CAMFLOW_WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS",
                    "2",
                    "CAMFLOW_WEBRTC_DTLS_HANDSHAKES",
                    "16")));
    assertEquals(Duration.ofSeconds(4), dtls.handshakeTimeout());
    assertEquals(2, dtls.handshakesPerAddress());
    assertEquals(16, dtls.handshakes());
  }

  @Test
  void refusesNonsenseNamingTheVariable() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransportSettingsFromOptions.from(
                        Settings.fromEnvironment(Map.of("CAMFLOW_WEBRTC_PORT", "70000"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_PORT"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransportSettingsFromOptions.from(
                        Settings.fromEnvironment(Map.of("CAMFLOW_WEBRTC_PORT", "x"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_PORT"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransportSettingsFromOptions.from(
                        Settings.fromEnvironment(Map.of("CAMFLOW_WEBRTC_LOOPBACK", "yes"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_LOOPBACK"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransportSettingsFromOptions.from(
                        Settings.fromEnvironment(
                            Map.of("CAMFLOW_WEBRTC_CONSENT_TIMEOUT_MS", "10"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_CONSENT_TIMEOUT_MS"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransportSettingsFromOptions.from(
                        Settings.fromEnvironment(Map.of("CAMFLOW_WEBRTC_DTLS_TIMEOUT_MS", "50"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_DTLS_TIMEOUT_MS"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransportSettingsFromOptions.from(
                        Settings.fromEnvironment(
                            Map.of("CAMFLOW_WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS", "100"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS"),
        "more per address than in all");
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    TransportSettingsFromOptions.from(
                        Settings.fromEnvironment(Map.of("CAMFLOW_WEBRTC_DTLS_HANDSHAKES", "0"))))
            .getMessage()
            .contains("CAMFLOW_WEBRTC_DTLS_HANDSHAKES"));
  }
}
