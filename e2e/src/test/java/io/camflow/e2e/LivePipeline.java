package io.camflow.e2e;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.ingest.IngestService;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.packager.PackagerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The live path an end-to-end test watches: ingest pulling the cameras of a YAML text, the packager
 * (parts of 1/3 s, segments of 2 s, as {@code ./camflow up}) and delivery with auth off on a free
 * loopback port — each in a Camel context of its own, on the JVM's shared local Kafka broker,
 * closed in reverse order.
 */
final class LivePipeline implements AutoCloseable {

  static final Path ROUTES = Path.of("..", "routes");

  private final CamelServices services = new CamelServices();
  private int port;

  private LivePipeline() {}

  /**
   * @param name names the services' Camel contexts and consumer groups (unique per test class)
   * @param camerasYaml the {@code cameras:} section of a camflow.yaml
   * @param env the environment {@code ${env:…}} references in it resolve from
   */
  static LivePipeline start(String name, String camerasYaml, Map<String, String> env)
      throws Exception {
    LivePipeline p = new LivePipeline();
    try {
      LocalKafka kafka = LocalKafka.shared();
      String yaml = "kafka:\n  bootstrapServers: " + kafka.bootstrapServers() + "\n" + camerasYaml;
      IngestService ingest =
          new IngestService(
              ConfigLoader.parse(yaml, name + ".yaml", env),
              ROUTES.resolve("ingest.camel.yaml"),
              "ingest-" + name);
      p.services.start(ingest::configure, ingest);
      ingest.started();
      PackagerService packager =
          new PackagerService(
              kafka.bootstrapServers(),
              Duration.ofNanos(333_340_000),
              Duration.ofSeconds(2),
              ROUTES.resolve("packager.camel.yaml"),
              "packager-" + name);
      p.services.start(packager::configure, packager);
      p.port = FreePorts.find();
      DeliveryService delivery =
          new DeliveryService(
              DeliverySettings.defaults(kafka.bootstrapServers()),
              p.port,
              CorsPolicy.none(),
              AuthSettings.off(),
              null,
              ROUTES.resolve("delivery.camel.yaml"));
      p.services.start(delivery::configure, delivery);
      return p;
    } catch (Exception | AssertionError e) {
      p.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /**
   * {@code http://127.0.0.1:<port>/live/<camera>/main/}: where a stream's playlist and MSE socket
   * are.
   */
  String live(String camera) {
    return "http://127.0.0.1:" + port + "/live/" + camera + "/main/";
  }

  /** {@link #live} as a WebSocket URL: {@code ws://…/live/<camera>/main/mse}. */
  String mse(String camera) {
    return "ws" + live(camera).substring("http".length()) + "mse";
  }

  /** Something to close with the pipeline, before it. */
  <T extends AutoCloseable> T add(T closeable) {
    return services.add(closeable);
  }

  @Override
  public void close() throws Exception {
    services.close();
  }
}
