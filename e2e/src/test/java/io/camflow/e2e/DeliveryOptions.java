package io.camflow.e2e;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.http.TlsSettings;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.rtsp.RtspSettings;
import io.camflow.delivery.sessions.TokenLeaseSettings;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.keycloak.admin.AdminSettings;
import io.camflow.localprocess.FreePorts;
import io.camflow.registry.SecretBox;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * What one delivery instance of a {@link LivePipeline} differs in from the plain one (auth off, no
 * CORS, no WebRTC, no HTTPS, the default idle stop, no secrets key). Each method sets one thing and
 * returns these options, so a test names only what is special about its delivery.
 */
final class DeliveryOptions {

  /** The WebRTC transport of a test: a UDP port of its own, candidates on loopback. */
  static final WebRtcTransportSettings LOOPBACK =
      WebRtcTransportSettings.defaults().withPort(0).withLoopbackCandidates(true);

  private CorsPolicy cors = CorsPolicy.none();
  private Duration idleStop;
  private LocalKeycloak keycloak;
  private boolean keycloakAdmin;
  private WhepSettings whep;
  private WebRtcTransportSettings transport;
  private boolean https;
  private SecretBox secretsKey;
  private TokenLeaseSettings sessionTokens;

  DeliveryOptions cors(CorsPolicy policy) {
    this.cors = policy;
    return this;
  }

  /** Stops reading a stream nobody has requested over HTTP for this long. */
  DeliveryOptions idleStop(Duration idleStop) {
    this.idleStop = idleStop;
    return this;
  }

  /** Auth on: viewers' tokens are checked against this Keycloak. */
  DeliveryOptions keycloak(LocalKeycloak kc) {
    this.keycloak = kc;
    return this;
  }

  /**
   * Auth on against this Keycloak, and camera permissions kept in it through the admin client
   * {@code camflow-services} (the local realm's secret).
   */
  DeliveryOptions keycloakWithAdmin(LocalKeycloak kc) {
    this.keycloak = kc;
    this.keycloakAdmin = true;
    return this;
  }

  /** WebRTC (WHEP) on, on {@link #LOOPBACK}. */
  DeliveryOptions webrtc(WhepSettings whep) {
    return webrtc(whep, LOOPBACK);
  }

  /** WebRTC (WHEP) on, with this transport. */
  DeliveryOptions webrtc(WhepSettings whep, WebRtcTransportSettings transport) {
    this.whep = whep;
    this.transport = transport;
    return this;
  }

  /** HTTPS on a free port, with a self-signed certificate made in a fresh directory. */
  DeliveryOptions https() {
    this.https = true;
    return this;
  }

  /** CAMFLOW_SECRETS_KEY: camera passwords given to the API are sealed with it. */
  DeliveryOptions secretsKey(SecretBox key) {
    this.secretsKey = key;
    return this;
  }

  /** How long a session goes on past its token's expiry (delivery.sessions.tokenGrace). */
  DeliveryOptions sessionTokenGrace(Duration grace) {
    this.sessionTokens =
        new TokenLeaseSettings(grace, TokenLeaseSettings.defaults().recheckInterval());
    return this;
  }

  /** A delivery service with these options on {@code port}, not yet configured into a context. */
  DeliveryService build(String bootstrapServers, int port) throws IOException {
    DeliverySettings settings = DeliverySettings.defaults(bootstrapServers);
    if (idleStop != null) {
      settings =
          new DeliverySettings(
              settings.bootstrapServers(),
              settings.partTarget(),
              settings.segmentTarget(),
              settings.startSegments(),
              settings.startWait(),
              idleStop);
    }
    DeliveryService delivery =
        new DeliveryService(
            settings,
            port,
            cors,
            keycloak == null ? AuthSettings.off() : AuthSettings.keycloak(keycloak.issuer()),
            keycloakAdmin
                ? new AdminSettings(
                    keycloak.baseUrl(),
                    LocalKeycloak.REALM,
                    "camflow-services",
                    "camflow-services-local-secret")
                : null,
            LivePipeline.ROUTES.resolve("delivery.camel.yaml"));
    if (secretsKey != null) {
      delivery.secretsKey(secretsKey);
    }
    if (sessionTokens != null) {
      delivery.sessionTokens(sessionTokens);
    }
    if (whep != null) {
      delivery.webrtc(whep, transport);
    }
    delivery.rtsp(
        RtspSettings.on(0)); // a free TCP port and a free UDP pair: tests run side by side
    if (https) {
      delivery.tls(
          new TlsSettings(
              FreePorts.find(),
              null,
              null,
              Files.createTempDirectory("camflow-e2e-tls").resolve("tls")));
    }
    return delivery;
  }
}
