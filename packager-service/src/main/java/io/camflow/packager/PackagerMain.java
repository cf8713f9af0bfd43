package io.camflow.packager;

import io.camflow.localprocess.Lifeline;
import io.camflow.metrics.MetricsServer;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * packager-service: a Camel Main application running routes/packager.camel.yaml. Its settings
 * (docs/configuration.md, "Service options"): the Kafka servers, the part and segment targets
 * (packager.partTarget, packager.segmentTarget), the routes directory, the metrics port and
 * CAMFLOW_INSTANCE_ID (this packager's static member id in the consumer group; keep it across
 * restarts so the streams come straight back).
 */
public final class PackagerMain {

  /** After the launcher is gone: the orderly stop may take this long, then the JVM halts. */
  private static final Duration LIFELINE_GRACE = Duration.ofSeconds(20);

  private PackagerMain() {}

  public static void main(String[] args) throws Exception {
    PackagerService service;
    ServiceMetrics metrics = new ServiceMetrics("packager");
    MetricsServer metricsServer;
    try {
      Settings settings = Settings.load();
      // ./camflow up sets CAMFLOW_LIFELINE=stdin: stop with the launcher, however it ends
      // (docs/operations.md)
      if (settings.get(CamflowOptions.LIFELINE).equals(Lifeline.STDIN)) {
        Lifeline.exitWhenStdinEnds("packager-service", LIFELINE_GRACE);
      }
      metricsServer = MetricsServer.fromSettings(metrics, settings, 8082); // docs/operations.md
      service =
          new PackagerService(
              settings.get(CamflowOptions.KAFKA_BOOTSTRAP_SERVERS),
              settings.get(CamflowOptions.PART_TARGET),
              settings.get(CamflowOptions.SEGMENT_TARGET),
              settings.get(CamflowOptions.ROUTES).resolve("packager.camel.yaml"),
              settings
                  .find(CamflowOptions.INSTANCE_ID)
                  .orElse(defaultInstanceId(settings.environment())));
    } catch (IllegalArgumentException e) {
      System.err.println("packager-service: " + e.getMessage());
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
              throw new IllegalStateException(
                  "packager-service cannot start: " + e.getMessage(), e);
            }
          }

          @Override
          public void afterStop(BaseMainSupport m) {
            service.close();
            if (metricsServer != null) {
              metricsServer.close();
            }
          }
        });
    main.run(args);
  }

  /**
   * {@code packager-<pid>}, with the container's hostname before the pid where Docker sets one:
   * compose replicas share their environment and all run as pid 1, and two packagers with one
   * static member id fence each other out of the group.
   */
  static String defaultInstanceId(Map<String, String> env) {
    String host =
        env.getOrDefault("HOSTNAME", "")
            .trim()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_-]", "-");
    return "packager-" + (host.isEmpty() ? "" : host + "-") + ProcessHandle.current().pid();
  }
}
