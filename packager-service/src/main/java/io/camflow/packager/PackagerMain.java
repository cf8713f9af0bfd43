package io.camflow.packager;

import io.camflow.localprocess.Lifeline;
import io.camflow.metrics.MetricsServer;
import io.camflow.metrics.ServiceMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * packager-service: a Camel Main application running routes/packager.camel.yaml. Settings from
 * the environment: CAMFLOW_KAFKA_BOOTSTRAP_SERVERS (localhost:9092), CAMFLOW_PART_TARGET_US (333340,
 * 200000–1000000), CAMFLOW_SEGMENT_TARGET_MS (2000), CAMFLOW_ROUTES (the routes directory),
 * CAMFLOW_INSTANCE_ID (this packager's static member id in the consumer group; keep it across
 * restarts so the streams come straight back).
 */
public final class PackagerMain {

  /** After the launcher is gone: the orderly stop may take this long, then the JVM halts. */
  private static final Duration LIFELINE_GRACE = Duration.ofSeconds(20);

  private PackagerMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    PackagerService service;
    ServiceMetrics metrics = new ServiceMetrics("packager");
    MetricsServer metricsServer;
    try {
      // ./camflow up sets CAMFLOW_LIFELINE=stdin: stop with the launcher, however it ends (docs/operations.md)
      Lifeline.exitWhenStdinEndsIfAsked(env, "packager-service", LIFELINE_GRACE);
      metricsServer = MetricsServer.fromEnvironment(metrics, env, 8082); // docs/operations.md
      service = new PackagerService(
          env.getOrDefault("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
          Duration.ofNanos(number(env, "CAMFLOW_PART_TARGET_US", 333_340) * 1000),
          Duration.ofMillis(number(env, "CAMFLOW_SEGMENT_TARGET_MS", 2000)),
          Path.of(env.getOrDefault("CAMFLOW_ROUTES", "routes")).resolve("packager.camel.yaml"),
          env.getOrDefault("CAMFLOW_INSTANCE_ID", defaultInstanceId(env)));
    } catch (IllegalArgumentException e) {
      System.err.println("packager-service: " + e.getMessage());
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
          throw new IllegalStateException("packager-service cannot start: " + e.getMessage(), e);
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
    String host = env.getOrDefault("HOSTNAME", "").trim().toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_-]", "-");
    return "packager-" + (host.isEmpty() ? "" : host + "-") + ProcessHandle.current().pid();
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
