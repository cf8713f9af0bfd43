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
import io.camflow.delivery.webrtc.WebRtcTransportSettings;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.keycloak.admin.AdminEnvironment;
import io.camflow.localprocess.Lifeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * delivery-service: a Camel Main application running routes/delivery.camel.yaml. Settings from the
 * environment (docs/configuration.md): CAMFLOW_KAFKA_BOOTSTRAP_SERVERS (localhost:9092),
 * CAMFLOW_HTTP_PORT (8080), CAMFLOW_HTTP_HOST (every interface), CAMFLOW_CORS_ORIGINS (none), the CAMFLOW_AUTH* and
 * CAMFLOW_STREAM_TOKEN_* options and CAMFLOW_TRUSTED_PROXIES
 * ({@link AuthSettings#fromEnvironment}), the Keycloak admin client
 * for the permission API (CAMFLOW_KEYCLOAK_URL, CAMFLOW_KEYCLOAK_REALM, CAMFLOW_KEYCLOAK_CLIENT_ID,
 * CAMFLOW_KEYCLOAK_CLIENT_SECRET), CAMFLOW_PART_TARGET_US (333340) and
 * CAMFLOW_SEGMENT_TARGET_MS (2000) as given to the packager, CAMFLOW_IDLE_STOP_MS (30000: a stream
 * nobody requested for that long loses its consumer), CAMFLOW_ROUTES (the routes directory), the
 * viewer limits and shares ({@link ViewerLimits#fromEnvironment}) and the HTTP connection timeouts
 * ({@link HttpSettings#fromEnvironment}).
 */
public final class DeliveryMain {

  /** After the launcher is gone: the orderly stop may take this long, then the JVM halts. */
  private static final Duration LIFELINE_GRACE = Duration.ofSeconds(20);

  private DeliveryMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    DeliveryService service;
    try {
      // ./camflow up sets CAMFLOW_LIFELINE=stdin: stop with the launcher, however it ends (docs/operations.md)
      Lifeline.exitWhenStdinEndsIfAsked(env, "delivery-service", LIFELINE_GRACE);
      String bootstrap = env.getOrDefault("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
      DeliverySettings defaults = DeliverySettings.defaults(bootstrap);
      DeliverySettings settings = new DeliverySettings(bootstrap,
          Duration.ofNanos(number(env, "CAMFLOW_PART_TARGET_US", 333_340) * 1000),
          Duration.ofMillis(number(env, "CAMFLOW_SEGMENT_TARGET_MS", 2000)),
          defaults.startSegments(), defaults.startWait(),
          Duration.ofMillis(number(env, "CAMFLOW_IDLE_STOP_MS", 30_000)),
          // viewer limits of every protocol and the held LL-HLS requests: docs/delivery.md
          MseSettings.defaults().withLimits(ViewerLimits.fromEnvironment(env)));
      AuthSettings auth = AuthSettings.fromEnvironment(env);
      if (auth.enabled() && !AuthSettings.sharedKeyConfigured(env)) {
        System.err.println("delivery-service: CAMFLOW_STREAM_TOKEN_KEY is not set: stream tokens are signed with a "
            + "random key of this process (fine for one instance; several instances need one shared key)");
      }
      // the public addresses (docs/operations.md, "Running on a LAN"): their hosts are WebRTC candidates too
      PublicUrls publicUrls = PublicUrls.fromEnvironment(env);
      RealmForwarding forwarding = RealmForwarding.fromEnvironment(env, auth.enabled() ? auth.issuer() : null,
          auth.jwksUri());
      WebRtcTransportSettings transport = WebRtcTransportSettings.fromEnvironment(env);
      List<String> candidates = new ArrayList<>(transport.extraHosts());
      publicUrls.hosts().stream().filter(h -> !candidates.contains(h)).forEach(candidates::add);
      service = new DeliveryService(settings, (int) number(env, "CAMFLOW_HTTP_PORT", 8080),
          CorsPolicy.parse(env.getOrDefault("CAMFLOW_CORS_ORIGINS", "")), auth,
          auth.enabled() ? AdminEnvironment.read(env).orElse(null) : null,
          Path.of(env.getOrDefault("CAMFLOW_ROUTES", "routes")).resolve("delivery.camel.yaml"))
          .webrtc(WhepSettings.fromEnvironment(env), transport.withExtraHosts(candidates))
          .publicAccess(publicUrls, forwarding)
          .http(HttpSettings.fromEnvironment(env))
          .sessionTokens(TokenLeaseSettings.fromEnvironment(env)) // CAMFLOW_SESSION_TOKEN_GRACE_S, CAMFLOW_ACCESS_RECHECK_S
          .bind(BindAddress.fromEnvironment(env)) // CAMFLOW_HTTP_HOST: every interface unless set
          .tls(TlsSettings.fromEnvironment(env)); // HTTPS on 8443 unless CAMFLOW_HTTPS_PORT=0 (docs/operations.md)
    } catch (IllegalArgumentException e) {
      System.err.println("delivery-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    Main main = new Main();
    main.addMainListener(new MainListenerSupport() {
      @Override
      public void beforeConfigure(BaseMainSupport m) {
        try {
          service.configure(m.getCamelContext());
        } catch (Exception e) {
          throw new IllegalStateException("delivery-service cannot start: " + e.getMessage(), e);
        }
      }

      @Override
      public void afterStop(BaseMainSupport m) {
        service.close();
      }
    });
    main.run(args);
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
    }
  }
}
