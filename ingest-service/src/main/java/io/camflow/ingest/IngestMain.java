package io.camflow.ingest;

import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.access.CameraRoles;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.localprocess.Lifeline;
import io.camflow.metrics.MetricsServer;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.ingest.config.InvalidConfigException;
import io.camflow.ingest.ownership.GroupOwnership;
import io.camflow.ingest.ownership.OwnershipSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * ingest-service: a Camel Main application. Reads config/camflow.yaml (CAMFLOW_CONFIG), loads
 * routes/ingest.camel.yaml (CAMFLOW_ROUTES is the routes directory) and runs until stopped.
 * An invalid configuration file stops it before anything starts, listing every error.
 */
public final class IngestMain {

  /** After the launcher is gone: the orderly stop may take this long, then the JVM halts. */
  private static final Duration LIFELINE_GRACE = Duration.ofSeconds(20);

  private IngestMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    try {
      // ./camflow up sets CAMFLOW_LIFELINE=stdin: stop with the launcher, however it ends (docs/operations.md)
      Lifeline.exitWhenStdinEndsIfAsked(env, "ingest-service", LIFELINE_GRACE);
    } catch (IllegalArgumentException e) {
      System.err.println("ingest-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path configFile = Path.of(env.getOrDefault("CAMFLOW_CONFIG", "config/camflow.yaml"));
    Path routesFile = Path.of(env.getOrDefault("CAMFLOW_ROUTES", "routes")).resolve("ingest.camel.yaml");
    CamflowConfig config;
    try {
      config = ConfigLoader.load(configFile, env);
    } catch (InvalidConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String instance = instanceId(env);
    OwnershipSettings ownership;
    try {
      ownership = OwnershipSettings.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      System.err.println("ingest-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    // streams are shared with the other ingest instances through the camflow-ingest consumer group
    GroupOwnership group = new GroupOwnership(config.kafkaBootstrapServers(), instance, ownership);
    IngestService service = new IngestService(config, routesFile, instance, group);
    CameraRoles roles; // the cameras' permissions in Keycloak (docs/permissions.md), null without an admin client
    io.camflow.ingest.registry.RegistrySync registry; // cameras added through the API, live
    try {
      roles = CameraRoles.fromEnvironment(env).orElse(null);
      registry = io.camflow.ingest.registry.RegistrySync.fromEnvironment(service, env,
          roles != null ? roles : camera -> { });
    } catch (IllegalArgumentException e) {
      System.err.println("ingest-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (roles != null) {
      config.cameras().forEach(c -> roles.accept(c.id()));
      roles.start(); // in the background: Keycloak may come up after ingest
    }

    ServiceMetrics metrics = new ServiceMetrics("ingest");
    metrics.registry().gauge("camflow_ingest_owned_partitions", group, g -> g.ownedPartitions().size());
    metrics.registry().gauge("camflow_ingest_pulled_streams", service, s -> s.pulledStreams().size());
    MetricsServer metricsServer;
    try {
      metricsServer = MetricsServer.fromEnvironment(metrics, env, 8081); // docs/operations.md
    } catch (IllegalArgumentException e) {
      System.err.println("ingest-service: " + e.getMessage());
      System.exit(2);
      return;
    }

    Main main = new Main();
    main.addMainListener(new MainListenerSupport() {
      @Override
      public void beforeConfigure(BaseMainSupport m) {
        try {
          metrics.instrument(m.getCamelContext());
          service.configure(m.getCamelContext());
        } catch (Exception e) {
          throw new IllegalStateException("ingest-service cannot start: " + e.getMessage(), e);
        }
      }

      @Override
      public void afterStart(BaseMainSupport m) {
        try {
          service.started();
          registry.start();
        } catch (Exception e) {
          throw new IllegalStateException("ingest-service cannot start its streams: " + e.getMessage(), e);
        }
      }

      @Override
      public void beforeStop(BaseMainSupport m) {
        registry.close();
        service.close();
        if (metricsServer != null) {
          metricsServer.close();
        }
        if (roles != null) {
          roles.close();
        }
      }
    });
    main.run(args);
  }

  /**
   * CAMFLOW_INSTANCE_ID, else {@code ingest-<host>-<pid>}: distinct per instance even in containers,
   * where every process is pid 1 (the per-instance consumer groups of demand and the registry rely on it).
   */
  static String instanceId(Map<String, String> env) {
    String configured = env.get("CAMFLOW_INSTANCE_ID");
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    String host = env.getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "";
      }
    }
    String clean = host.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    return "ingest-" + (clean.isBlank() ? "" : clean + "-") + ProcessHandle.current().pid();
  }
}
