package io.camflow.ingest;

import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.access.CameraRoles;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.keycloak.admin.AdminEnvironment;
import io.camflow.keycloak.admin.CameraAccess;
import io.camflow.metrics.MetricsServer;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.ingest.config.InvalidConfigException;
import java.nio.file.Path;
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

  private IngestMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
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
    String instance = env.getOrDefault("CAMFLOW_INSTANCE_ID", "ingest-" + ProcessHandle.current().pid());
    IngestService service = new IngestService(config, routesFile, instance);
    CameraRoles roles;
    io.camflow.ingest.registry.RegistrySync registry; // cameras added through the API, live
    try {
      roles = AdminEnvironment.read(env)
          .map(a -> new CameraRoles(new CameraAccess(a), config.cameras().stream().map(c -> c.id()).toList()))
          .orElse(null);
      registry = io.camflow.ingest.registry.RegistrySync.fromEnvironment(service, env);
    } catch (IllegalArgumentException e) {
      System.err.println("ingest-service: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (roles != null) {
      roles.start(); // the cameras' permissions in Keycloak (docs/permissions.md), in the background
    }

    ServiceMetrics metrics = new ServiceMetrics("ingest");
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
}
