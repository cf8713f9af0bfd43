package io.camflow.delivery;

import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.BindAddress;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.http.HttpSettings;
import io.camflow.delivery.http.PublicUrls;
import io.camflow.delivery.http.TlsSettings;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.mse.MseSettings;
import io.camflow.delivery.realm.RealmForwarding;
import io.camflow.delivery.sessions.TokenLeaseSettings;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.whep.TransportSettingsFromOptions;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.keycloak.admin.AdminEnvironment;
import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import io.camflow.registry.SecretBox;
import io.camflow.serviceruntime.ServiceProcess;
import io.camflow.webrtc.WebRtcTransportSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * delivery-service: a Camel Main application ({@link ServiceProcess}; its metrics on its own HTTP
 * port) running routes/delivery.camel.yaml. Its settings are the {@code delivery.*}, {@code
 * auth.*}, {@code webrtc.*} and {@code keycloak.*} options (docs/configuration.md, "Service
 * options"), with the part and segment targets the packager cuts to.
 */
public final class DeliveryMain {

  private DeliveryMain() {}

  public static void main(String[] args) throws Exception {
    // no metrics port: delivery serves /metrics on its HTTP port
    ServiceProcess.named("delivery").run(args, (settings, metrics) -> service(settings));
  }

  private static ServiceProcess.Service service(Settings config) {
    String bootstrap = config.get(CamflowOptions.KAFKA_BOOTSTRAP_SERVERS);
    DeliverySettings defaults = DeliverySettings.defaults(bootstrap);
    DeliverySettings settings =
        new DeliverySettings(
            bootstrap,
            config.get(CamflowOptions.PART_TARGET),
            config.get(CamflowOptions.SEGMENT_TARGET),
            defaults.startSegments(),
            defaults.startWait(),
            config.get(CamflowOptions.IDLE_STOP),
            // viewer limits of every protocol and the held LL-HLS requests: docs/delivery.md
            MseSettings.defaults().withLimits(ViewerLimits.from(config)));
    AuthSettings auth = AuthSettings.from(config);
    if (auth.enabled() && !AuthSettings.sharedKeyConfigured(config)) {
      System.err.println(
          "delivery-service: CAMFLOW_STREAM_TOKEN_KEY is not set: stream tokens are signed with a "
              + "random key of this process (fine for one instance; several instances need one shared key)");
    }
    // the public addresses (docs/operations.md, "Running on a LAN"): their hosts are WebRTC
    // candidates too
    PublicUrls publicUrls = PublicUrls.from(config);
    RealmForwarding forwarding =
        RealmForwarding.from(config, auth.enabled() ? auth.issuer() : null, auth.jwksUri());
    WebRtcTransportSettings transport = TransportSettingsFromOptions.from(config);
    List<String> candidates = new ArrayList<>(transport.extraHosts());
    publicUrls.hosts().stream().filter(h -> !candidates.contains(h)).forEach(candidates::add);
    DeliveryService service =
        new DeliveryService(
                settings,
                config.get(CamflowOptions.HTTP_PORT),
                CorsPolicy.parse(config.find(CamflowOptions.CORS_ORIGINS).orElse("")),
                auth,
                auth.enabled() ? AdminEnvironment.read(config).orElse(null) : null,
                config.get(CamflowOptions.ROUTES).resolve("delivery.camel.yaml"))
            .webrtc(WhepSettings.from(config), transport.withExtraHosts(candidates))
            .publicAccess(publicUrls, forwarding)
            .http(HttpSettings.from(config))
            .rtsp(io.camflow.delivery.rtsp.RtspSettings.from(config))
            .instanceId(
                config
                    .find(CamflowOptions.INSTANCE_ID)
                    .orElse(io.camflow.serviceruntime.InstanceId.byDefault("delivery", "")))
            .sessionTokens(TokenLeaseSettings.from(config))
            .bind(BindAddress.from(config))
            .tls(
                TlsSettings.from(
                    config)) // HTTPS on 8443 unless delivery.https.port is 0 (docs/operations.md)
            .secretsKey(SecretBox.from(config).orElse(null));
    return ServiceProcess.Service.of(service::configure, service::close);
  }
}
