package io.camflow.ingest;

import io.camflow.ingest.access.CameraRoles;
import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.ingest.config.InvalidConfigException;
import io.camflow.ingest.ownership.GroupOwnership;
import io.camflow.ingest.ownership.OwnershipSettings;
import io.camflow.localprocess.Lifeline;
import io.camflow.metrics.MetricsServer;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.options.CamflowOptions;
import io.camflow.options.Environment;
import io.camflow.options.InvalidSettingsException;
import io.camflow.options.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * ingest-service: a Camel Main application. Reads config/camflow.yaml (CAMFLOW_CONFIG), loads
 * routes/ingest.camel.yaml (CAMFLOW_ROUTES is the routes directory) and runs until stopped. An
 * invalid configuration file stops it before anything starts, listing every error.
 */
public final class IngestMain {

  /** After the launcher is gone: the orderly stop may take this long, then the JVM halts. */
  private static final Duration LIFELINE_GRACE = Duration.ofSeconds(20);

  private IngestMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = Environment.variables();
    Settings settings;
    CamflowConfig config;
    try {
      settings =
          Settings.fromEnvironment(
              env); // the file's option sections: ConfigLoader, with every error
      config = ConfigLoader.load(settings.get(CamflowOptions.CONFIG_FILE), env);
      settings = Settings.load(env);
    } catch (InvalidConfigException | InvalidSettingsException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    // ./camflow up sets CAMFLOW_LIFELINE=stdin: stop with the launcher, however it ends
    // (docs/operations.md)
    if (settings.get(CamflowOptions.LIFELINE).equals(Lifeline.STDIN)) {
      Lifeline.exitWhenStdinEnds("ingest-service", LIFELINE_GRACE);
    }
    Path routesFile = settings.get(CamflowOptions.ROUTES).resolve("ingest.camel.yaml");
    String instance = instanceId(env);
    OwnershipSettings ownership;
    try {
      ownership = OwnershipSettings.from(settings);
    } catch (IllegalArgumentException e) {
      System.err.println("ingest-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    // streams are shared with the other ingest instances through the camflow-ingest consumer group
    GroupOwnership group = new GroupOwnership(config.kafkaBootstrapServers(), instance, ownership);
    IngestService service = new IngestService(config, routesFile, instance, group);
    CameraRoles
        roles; // the cameras' permissions in Keycloak (docs/permissions.md), null without an admin
    // client
    io.camflow.ingest.registry.RegistrySync registry; // cameras added through the API, live
    try {
      roles = CameraRoles.from(settings).orElse(null);
      registry =
          io.camflow.ingest.registry.RegistrySync.from(
              service, settings, roles != null ? roles : camera -> {});
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
    metrics
        .registry()
        .gauge("camflow_ingest_owned_partitions", group, g -> g.ownedPartitions().size());
    metrics
        .registry()
        .gauge("camflow_ingest_pulled_streams", service, s -> s.pulledStreams().size());
    MetricsServer metricsServer;
    try {
      metricsServer = MetricsServer.fromSettings(metrics, settings, 8081); // docs/operations.md
    } catch (IllegalArgumentException e) {
      System.err.println("ingest-service: " + e.getMessage());
      System.exit(2);
      return;
    }

    Main main = new Main();
    main.addMainListener(
        new MainListenerSupport() {
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
              throw new IllegalStateException(
                  "ingest-service cannot start its streams: " + e.getMessage(), e);
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
   * CAMFLOW_INSTANCE_ID, else {@code ingest-<host>-<pid>}: distinct per instance even in
   * containers, where every process is pid 1 (the per-instance consumer groups of demand and the
   * registry rely on it).
   */
  static String instanceId(Map<String, String> env) {
    String configured = Settings.fromEnvironment(env).get(CamflowOptions.INSTANCE_ID);
    if (configured != null) {
      return configured;
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
