package io.camflow.packager;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import io.camflow.serviceruntime.InstanceId;
import io.camflow.serviceruntime.ServiceProcess;
import java.util.Map;

/**
 * packager-service: a Camel Main application ({@link ServiceProcess}, metrics on 8082) running
 * routes/packager.camel.yaml. Its settings (docs/configuration.md, "Service options"): the Kafka
 * servers, the part and segment targets (packager.partTarget, packager.segmentTarget), the timeline
 * thumbnails (packager.thumbnails, packager.thumbnailInterval), the routes directory, the metrics
 * port and CAMFLOW_INSTANCE_ID (this packager's static member id in the consumer group; keep it
 * across restarts so the streams come straight back).
 */
public final class PackagerMain {

  private PackagerMain() {}

  public static void main(String[] args) throws Exception {
    ServiceProcess.named("packager")
        .metricsPort(8082) // docs/operations.md
        .run(args, (settings, metrics) -> service(settings));
  }

  private static ServiceProcess.Service service(Settings settings) {
    PackagerService service =
        new PackagerService(
            settings.get(CamflowOptions.KAFKA_BOOTSTRAP_SERVERS),
            settings.get(CamflowOptions.PART_TARGET),
            settings.get(CamflowOptions.SEGMENT_TARGET),
            settings.get(CamflowOptions.ROUTES).resolve("packager.camel.yaml"),
            settings
                .find(CamflowOptions.INSTANCE_ID)
                .orElse(defaultInstanceId(settings.environment())),
            settings.get(CamflowOptions.THUMBNAILS)
                ? settings.get(CamflowOptions.THUMBNAIL_INTERVAL)
                : null);
    return ServiceProcess.Service.of(service::configure, service::close);
  }

  /**
   * {@code packager-<pid>}, with the container's hostname before the pid where Docker sets one:
   * compose replicas share their environment and all run as pid 1, and two packagers with one
   * static member id fence each other out of the group.
   */
  static String defaultInstanceId(Map<String, String> env) {
    return InstanceId.byDefault("packager", env.getOrDefault("HOSTNAME", ""));
  }
}
