package io.camflow.packager;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Wires the packager into a Camel context: properties, the {@code packager} bean and
 * routes/packager.camel.yaml. Used by {@link PackagerMain} and the integration tests.
 */
public final class PackagerService implements AutoCloseable {

  private final String bootstrapServers;
  private final PackagerSettings settings;
  private final Path routesFile;
  private final String instanceId;
  private Packager packager;

  public PackagerService(
      String bootstrapServers, Duration partTarget, Duration segmentTarget, Path routesFile) {
    this(
        bootstrapServers,
        partTarget,
        segmentTarget,
        routesFile,
        "packager-" + ProcessHandle.current().pid());
  }

  public PackagerService(
      String bootstrapServers,
      Duration partTarget,
      Duration segmentTarget,
      Path routesFile,
      String instanceId) {
    this.instanceId = instanceId;
    this.bootstrapServers = bootstrapServers;
    this.settings = new PackagerSettings(partTarget, segmentTarget);
    this.routesFile = routesFile;
  }

  public void configure(CamelContext ctx) throws Exception {
    ctx.getPropertiesComponent().addInitialProperty("camflow.kafka.bootstrap", bootstrapServers);
    ctx.getPropertiesComponent().addInitialProperty("camflow.instance.id", instanceId);
    packager = new Packager(settings, new KafkaLookup(bootstrapServers));
    ctx.getRegistry().bind("packager", packager);
    ctx.getRegistry().bind("commit", (Processor) PackagerService::commit);
    PluginHelper.getRoutesLoader(ctx)
        .loadRoutes(ResourceHelper.resolveMandatoryResource(ctx, "file:" + routesFile));
  }

  /** Commits the consumed media record: its CMAF records were all written before this step runs. */
  static void commit(Exchange exchange) {
    KafkaManualCommit commit =
        exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
    if (commit != null) {
      commit.commit();
    }
  }

  @Override
  public void close() {
    if (packager != null) {
      packager.close();
    }
  }
}
