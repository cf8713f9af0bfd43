package io.camflow.packager;

import io.camflow.media.record.Thumbnail;
import io.camflow.packager.thumbnail.Thumbnailer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Wires the packager into a Camel context: properties, the {@code packager} bean, its thumbnailer
 * (which hands thumbnails to the route {@code direct:thumbnails}) and routes/packager.camel.yaml.
 * Used by {@link PackagerMain} and the integration tests.
 */
public final class PackagerService implements AutoCloseable {

  /** What {@code packager.thumbnailInterval} is by default. */
  public static final Duration DEFAULT_THUMBNAILS = Duration.ofSeconds(10);

  private final String bootstrapServers;
  private final PackagerSettings settings;
  private final Path routesFile;
  private final String instanceId;
  private final Duration thumbnailInterval;
  private Packager packager;
  private ProducerTemplate thumbnails;

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
    this(bootstrapServers, partTarget, segmentTarget, routesFile, instanceId, DEFAULT_THUMBNAILS);
  }

  /**
   * @param thumbnailInterval one timeline thumbnail per stream per this much capture time; null for
   *     none ({@code packager.thumbnails: off})
   */
  public PackagerService(
      String bootstrapServers,
      Duration partTarget,
      Duration segmentTarget,
      Path routesFile,
      String instanceId,
      Duration thumbnailInterval) {
    this.instanceId = instanceId;
    this.thumbnailInterval = thumbnailInterval;
    this.bootstrapServers = bootstrapServers;
    this.settings = new PackagerSettings(partTarget, segmentTarget);
    this.routesFile = routesFile;
  }

  public void configure(CamelContext ctx) throws Exception {
    ctx.getPropertiesComponent().addInitialProperty("camflow.kafka.bootstrap", bootstrapServers);
    ctx.getPropertiesComponent().addInitialProperty("camflow.instance.id", instanceId);
    Thumbnailer thumbnailer =
        thumbnailInterval == null
            ? null
            : new Thumbnailer(thumbnailInterval, (topic, t) -> sendThumbnail(ctx, topic, t));
    packager = new Packager(settings, new KafkaLookup(bootstrapServers), thumbnailer);
    ctx.getRegistry().bind("packager", packager);
    ctx.getRegistry().bind("commit", (Processor) PackagerService::commit);
    PluginHelper.getRoutesLoader(ctx)
        .loadRoutes(ResourceHelper.resolveMandatoryResource(ctx, "file:" + routesFile));
  }

  /** On the thumbnailer's thread: the route {@code direct:thumbnails} writes it. */
  private void sendThumbnail(CamelContext ctx, String topic, Thumbnail t) {
    if (thumbnails == null) {
      thumbnails = ctx.createProducerTemplate();
    }
    Map<String, Object> headers = new HashMap<>(t.headers());
    headers.put("kafka.OVERRIDE_TOPIC", topic);
    headers.put("kafka.OVERRIDE_TIMESTAMP", t.captureMillis());
    thumbnails.sendBodyAndHeaders("direct:thumbnails", t.jpeg(), headers);
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
    if (thumbnails != null) {
      try {
        thumbnails.close();
      } catch (Exception e) {
        // closing: nothing left to write
      }
    }
    if (packager != null) {
      packager.close();
    }
  }
}
