package io.camflow.ingest;

import io.camflow.ingest.access.CameraRoles;
import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.ingest.config.InvalidConfigException;
import io.camflow.ingest.ownership.GroupOwnership;
import io.camflow.ingest.ownership.OwnershipSettings;
import io.camflow.ingest.registry.RegistrySync;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.options.CamflowOptions;
import io.camflow.options.Environment;
import io.camflow.options.InvalidSettingsException;
import io.camflow.options.Settings;
import io.camflow.serviceruntime.InstanceId;
import io.camflow.serviceruntime.ServiceProcess;
import io.camflow.serviceruntime.ServiceProcess.RejectedSettings;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * ingest-service: a Camel Main application ({@link ServiceProcess}, metrics on 8081). Reads
 * config/camflow.yaml (CAMFLOW_CONFIG), loads routes/ingest.camel.yaml (CAMFLOW_ROUTES is the
 * routes directory) and runs until stopped. An invalid configuration file stops it before anything
 * starts, listing every error.
 */
public final class IngestMain {

  private final Map<String, String> env;
  private CamflowConfig config;

  private IngestMain(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) throws Exception {
    IngestMain ingest = new IngestMain(Environment.variables());
    ServiceProcess.named("ingest")
        .metricsPort(8081) // docs/operations.md
        .closesBeforeCamelStops()
        .settings(ingest::settings)
        .run(args, ingest::service);
  }

  /** The configuration file first (every error of it), then the settings. */
  private Settings settings() {
    try {
      // the file's option sections: ConfigLoader, with every error
      Settings fromEnvironment = Settings.fromEnvironment(env);
      config = ConfigLoader.load(fromEnvironment.get(CamflowOptions.CONFIG_FILE), env);
      return Settings.load(env);
    } catch (InvalidConfigException | InvalidSettingsException e) {
      throw new RejectedSettings(e.getMessage());
    }
  }

  private ServiceProcess.Service service(Settings settings, ServiceMetrics metrics) {
    String instance = instanceId(env);
    // streams are shared with the other ingest instances through the camflow-ingest consumer group
    GroupOwnership group =
        new GroupOwnership(
            config.kafkaBootstrapServers(), instance, OwnershipSettings.from(settings));
    IngestService service =
        new IngestService(
            config,
            settings.get(CamflowOptions.ROUTES).resolve("ingest.camel.yaml"),
            instance,
            group);
    // the cameras' permissions in Keycloak (docs/permissions.md), null without an admin client
    CameraRoles roles = CameraRoles.from(settings).orElse(null);
    // cameras added through the API, live
    RegistrySync registry =
        RegistrySync.from(service, settings, roles != null ? roles : camera -> {});
    if (roles != null) {
      config.cameras().forEach(c -> roles.accept(c.id()));
      roles.start(); // in the background: Keycloak may come up after ingest
    }
    metrics
        .registry()
        .gauge("camflow_ingest_owned_partitions", group, g -> g.ownedPartitions().size());
    metrics
        .registry()
        .gauge("camflow_ingest_pulled_streams", service, s -> s.pulledStreams().size());
    return new ServiceProcess.Service() {
      @Override
      public void configure(CamelContext ctx) throws Exception {
        service.configure(ctx);
      }

      @Override
      public void started() throws Exception {
        service.started();
        registry.start();
      }

      @Override
      public void close() {
        registry.close();
        service.close();
        if (roles != null) {
          roles.close();
        }
      }
    };
  }

  /**
   * CAMFLOW_INSTANCE_ID, else {@code ingest-<host>-<pid>} ({@link InstanceId#of}): the per-instance
   * consumer groups of demand and the registry rely on it.
   */
  static String instanceId(Map<String, String> env) {
    return InstanceId.of("ingest", env);
  }
}
