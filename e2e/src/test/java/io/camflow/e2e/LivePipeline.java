package io.camflow.e2e;

import io.camflow.delivery.DeliveryService;
import io.camflow.ingest.IngestService;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.ingest.registry.RegistrySync;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.packager.PackagerService;
import io.camflow.registry.SecretBox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;

/**
 * The live path an end-to-end test watches: ingest pulling the cameras of a YAML text, the packager
 * (parts of 1/3 s, segments of 2 s, as {@code ./camflow up}) and delivery on a free loopback port —
 * each in a Camel context of its own, on the JVM's shared local Kafka broker, closed in reverse
 * order. A test names what is special about its pipeline through {@link #named}: a broker of its
 * own, ingest following the camera registry, no packager, several deliveries or none, and each
 * delivery's {@link DeliveryOptions}.
 */
final class LivePipeline implements AutoCloseable {

  static final Path ROUTES = Path.of("..", "routes");

  private final CamelServices services = new CamelServices();
  private final String bootstrapServers;
  private final List<DeliveryService> deliveries = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private CamelContext ingestContext;
  private RegistrySync registry;

  private LivePipeline(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * The pipeline of the shared broker with one plain delivery (auth off).
   *
   * @param name names the services' Camel contexts and consumer groups (unique per test class)
   * @param camerasYaml the {@code cameras:} section of a camflow.yaml
   * @param env the environment {@code ${env:…}} references in it resolve from
   */
  static LivePipeline start(String name, String camerasYaml, Map<String, String> env)
      throws Exception {
    return named(name).cameras(camerasYaml, env).start();
  }

  /**
   * A pipeline to describe, then {@link Builder#start}.
   *
   * @param name names the services' Camel contexts, consumer groups and configuration file ({@code
   *     ingest-<name>}, {@code packager-<name>}, {@code <name>.yaml}); unique per test class
   */
  static Builder named(String name) {
    return new Builder(name);
  }

  /** What is special about one test's pipeline; everything else as {@link LivePipeline} says. */
  static final class Builder {

    private final String name;
    private String camerasYaml = "cameras: {}\n";
    private Map<String, String> env = Map.of();
    private String bootstrapServers;
    private SecretBox registryKey;
    private Consumer<String> newCameras;
    private boolean packager = true;
    private final List<DeliveryOptions> deliveries = new ArrayList<>();
    private boolean withoutDelivery;

    private Builder(String name) {
      this.name = name;
    }

    /** The {@code cameras:} section of ingest's camflow.yaml; {@code ${env:…}} from {@code env}. */
    Builder cameras(String camerasYaml, Map<String, String> env) {
      this.camerasYaml = camerasYaml;
      this.env = env;
      return this;
    }

    Builder cameras(String camerasYaml) {
      return cameras(camerasYaml, Map.of());
    }

    /** Another broker than the shared one (one the test stops and starts itself). */
    Builder kafka(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /**
     * Ingest follows the camera registry ({@code camflow.cameras}), opening API cameras' passwords
     * with {@code secretsKey}; {@code newCameras} is told each camera it has not run before.
     */
    Builder registry(SecretBox secretsKey, Consumer<String> newCameras) {
      this.registryKey = secretsKey;
      this.newCameras = newCameras;
      return this;
    }

    /** Ingest and delivery only: nothing packaged. */
    Builder withoutPackager() {
      this.packager = false;
      return this;
    }

    /**
     * A delivery with these options; call once per instance (several share the broker and serve the
     * same streams). Without a call: one plain delivery.
     */
    Builder delivery(Consumer<DeliveryOptions> options) {
      DeliveryOptions o = new DeliveryOptions();
      options.accept(o);
      deliveries.add(o);
      return this;
    }

    /** No delivery in this JVM (the test runs its own, as processes). */
    Builder withoutDelivery() {
      this.withoutDelivery = true;
      return this;
    }

    /** Starts ingest (and its registry sync), the packager and the deliveries, in that order. */
    LivePipeline start() throws Exception {
      String kafka =
          bootstrapServers != null ? bootstrapServers : LocalKafka.shared().bootstrapServers();
      LivePipeline p = new LivePipeline(kafka);
      try {
        String yaml = "kafka:\n  bootstrapServers: " + kafka + "\n" + camerasYaml;
        IngestService ingest =
            new IngestService(
                ConfigLoader.parse(yaml, name + ".yaml", env),
                ROUTES.resolve("ingest.camel.yaml"),
                "ingest-" + name);
        p.services.start(ingest::configure, ingest);
        p.ingestContext = p.services.contextOf(ingest);
        ingest.started();
        if (registryKey != null) {
          p.registry = new RegistrySync(ingest, Optional.of(registryKey), newCameras);
          p.registry.start();
          p.services.add(p.registry);
        }
        if (packager) {
          PackagerService packagerService =
              new PackagerService(
                  kafka,
                  Duration.ofNanos(333_340_000),
                  Duration.ofSeconds(2),
                  ROUTES.resolve("packager.camel.yaml"),
                  "packager-" + name);
          p.services.start(packagerService::configure, packagerService);
        }
        List<DeliveryOptions> instances =
            withoutDelivery
                ? List.of()
                : deliveries.isEmpty() ? List.of(new DeliveryOptions()) : deliveries;
        for (DeliveryOptions options : instances) {
          int port = FreePorts.find();
          DeliveryService delivery = options.build(kafka, port);
          p.services.start(delivery::configure, delivery);
          p.deliveries.add(delivery);
          p.ports.add(port);
        }
        return p;
      } catch (Exception | AssertionError e) {
        p.close();
        throw e;
      }
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Ingest's Camel context (its stream routes). */
  CamelContext ingestContext() {
    return ingestContext;
  }

  /** Ingest's registry sync; null unless {@link Builder#registry} was asked for. */
  RegistrySync registry() {
    return registry;
  }

  /** The first delivery. */
  DeliveryService delivery() {
    return delivery(0);
  }

  /** The {@code i}-th delivery, in the order of {@link Builder#delivery}. */
  DeliveryService delivery(int i) {
    return deliveries.get(i);
  }

  /** The first delivery's HTTP port. */
  int port() {
    return port(0);
  }

  int port(int i) {
    return ports.get(i);
  }

  /**
   * {@code http://127.0.0.1:<port>/live/<camera>/main/}: where a stream's playlist and MSE socket
   * are (on the first delivery).
   */
  String live(String camera) {
    return "http://127.0.0.1:" + port() + "/live/" + camera + "/main/";
  }

  /** {@link #live} as a WebSocket URL: {@code ws://…/live/<camera>/main/mse}. */
  String mse(String camera) {
    return "ws" + live(camera).substring("http".length()) + "mse";
  }

  /**
   * One more delivery on the pipeline's broker, started now in a context of its own; the caller
   * closes it (before the pipeline).
   */
  ExtraDelivery startDelivery(Consumer<DeliveryOptions> options) throws Exception {
    DeliveryOptions o = new DeliveryOptions();
    options.accept(o);
    int port = FreePorts.find();
    CamelServices own = new CamelServices();
    DeliveryService delivery = o.build(bootstrapServers, port);
    try {
      own.start(delivery::configure, delivery);
    } catch (Exception | AssertionError e) {
      own.close();
      throw e;
    }
    return new ExtraDelivery(delivery, port, own);
  }

  /** A delivery started after the pipeline, by {@link #startDelivery}; closing it stops it. */
  record ExtraDelivery(DeliveryService service, int port, CamelServices services)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      services.close();
    }
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
