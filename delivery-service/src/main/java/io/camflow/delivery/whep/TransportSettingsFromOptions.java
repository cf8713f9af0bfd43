package io.camflow.delivery.whep;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.util.Arrays;
import java.util.List;

/**
 * The WebRTC transport's settings from camflow's options; here, not in the transport, so that the
 * transport knows nothing of the option registry.
 */
public final class TransportSettingsFromOptions {

  private TransportSettingsFromOptions() {}

  /**
   * {@code webrtc.port}, {@code hosts}, {@code loopback}, {@code interfaceHosts}, consent and the
   * DTLS limits.
   */
  public static WebRtcTransportSettings from(Settings settings) {
    String hosts = settings.find(CamflowOptions.WEBRTC_HOSTS).orElse("");
    List<String> extra =
        Arrays.stream(hosts.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
    return new WebRtcTransportSettings(
        settings.get(CamflowOptions.WEBRTC_PORT),
        extra,
        settings.get(CamflowOptions.WEBRTC_LOOPBACK),
        settings.get(CamflowOptions.WEBRTC_CONSENT_TIMEOUT),
        settings.get(CamflowOptions.WEBRTC_DTLS_TIMEOUT),
        settings.get(CamflowOptions.WEBRTC_DTLS_HANDSHAKES_PER_ADDRESS),
        settings.get(CamflowOptions.WEBRTC_DTLS_HANDSHAKES),
        settings.get(CamflowOptions.WEBRTC_INTERFACE_HOSTS));
  }
}
