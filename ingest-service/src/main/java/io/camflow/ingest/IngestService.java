package io.camflow.ingest;

import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.config.StreamConfig;
import io.camflow.ingest.demand.DemandTracker;
import io.camflow.ingest.ownership.StreamOwnership;
import io.camflow.ingest.routes.RouteFileReloader;
import io.camflow.ingest.rtsp.RtspComponent;
import io.camflow.ingest.source.SourceAddress;
import io.camflow.ingest.status.RouteStatusPublisher;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.media.StreamKey;
import io.camflow.media.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Wires ingest into a Camel context: Kafka topics, the {@code rtsp:} component with the configured
 * cameras, the routes file (reloaded on edit) and one route per configured stream made from the
 * {@value #STREAM_TEMPLATE} template. Used by {@link IngestMain} and by the integration tests.
 * Streams of cameras added through the API come and go while it runs ({@link #putStream}, {@link
 * #removeStream}, driven by {@code io.camflow.ingest.registry.RegistrySync}).
 *
 * <p>Of all those streams it pulls only the ones its {@link StreamOwnership} says this instance
 * owns; the others are remembered and get their route when ownership arrives ({@link #reconcile}).
 * Streams an encoder publishes into delivery ({@code source: publish}) get their topics and never a
 * route: they are not {@link StreamConfig}s.
 */
public final class IngestService implements RouteFileReloader.TemplateUsers, AutoCloseable {

  public static final String STREAM_TEMPLATE = "camera-stream";
  public static final String STATUS_ENDPOINT = "direct:camflow-status";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(IngestService.class);

  private final CamflowConfig config;
  private final Path routesFile;
  private final String instanceId;
  private final StreamOwnership ownership;
  private final DemandTracker demand = new DemandTracker();

  /**
   * Every stream this instance may pull, by key: the file's, then those the registry adds
   * (io.camflow.ingest.registry).
   */
  private final java.util.Map<String, StreamConfig> streams =
      new java.util.concurrent.ConcurrentHashMap<>();

  private CamelContext context;
  private RouteFileReloader reloader;

  /**
   * The stream template is being replaced (routes file edit): its routes come back with
   * addRoutesOf.
   */
  private boolean templateDown;

  /** A lone instance: pulls every stream ({@link StreamOwnership#ALL}). */
  public IngestService(CamflowConfig config, Path routesFile, String instanceId) {
    this(config, routesFile, instanceId, StreamOwnership.ALL);
  }

  public IngestService(
      CamflowConfig config, Path routesFile, String instanceId, StreamOwnership ownership) {
    this.config = config;
    this.routesFile = routesFile;
    this.instanceId = instanceId;
    this.ownership = ownership;
    config.streams().forEach(s -> streams.put(s.key(), s));
  }

  public CamflowConfig config() {
    return config;
  }

  public String instanceId() {
    return instanceId;
  }

  /**
   * Adds a stream, or replaces it when it exists (its settings or address changed); its route runs
   * while this instance owns the stream.
   */
  public synchronized void putStream(StreamConfig s) throws Exception {
    removeStream(s.key());
    streams.put(s.key(), s);
    if (ownership.owns(s.key()) && !templateDown) {
      addRoute(s);
    }
  }

  /** Stops and removes a stream's route; nothing when there is none. */
  public synchronized void removeStream(String key) throws Exception {
    StreamConfig s = streams.remove(key);
    if (s != null && context.getRoute(routeId(s)) != null) {
      context.getRouteController().stopRoute(routeId(s));
      context.removeRoute(routeId(s));
    }
  }

  /**
   * Before the context starts: topics, properties, beans, the rtsp component and the routes file.
   */
  public void configure(CamelContext ctx) throws Exception {
    this.context = ctx;
    provisionTopics();
    ctx.getPropertiesComponent()
        .addInitialProperty("camflow.kafka.bootstrap", config.kafkaBootstrapServers());
    ctx.getPropertiesComponent().addInitialProperty("camflow.instance.id", instanceId);
    // the topics the routes write to and read from, named once (io.camflow.media.Topics)
    ctx.getPropertiesComponent().addInitialProperty("camflow.topic.status", Topics.STATUS);
    ctx.getPropertiesComponent().addInitialProperty("camflow.topic.demand", Topics.DEMAND);
    ctx.getRegistry().bind("demandTracker", demand);
    RouteStatusPublisher status =
        new RouteStatusPublisher(ctx.createProducerTemplate(), STATUS_ENDPOINT);

    RtspComponent rtsp = new RtspComponent();
    rtsp.setCatalog(this::address);
    rtsp.setDemandTracker(demand);
    rtsp.setStatusListener(status);
    rtsp.setInstanceId(instanceId);
    rtsp.setMaxConnections(config.limits().maxCameraConnections());
    ctx.addComponent("rtsp", rtsp);

    reloader = new RouteFileReloader(ctx, routesFile, this);
    reloader.loadInitial();
  }

  /**
   * After the context started: one route per owned stream, then watch the routes file for edits,
   * then take part in ownership (routes come and go with it from then on).
   */
  public void started() throws Exception {
    addRoutesOf(STREAM_TEMPLATE);
    reloader.watch();
    ownership.start(this::reconcile);
  }

  /**
   * Brings the routes in line with ownership: starts the streams this instance now owns, stops and
   * removes those it no longer owns. Returns when those pulls have stopped.
   */
  public synchronized void reconcile() {
    for (StreamConfig s : streams.values()) {
      String id = routeId(s);
      boolean running = context.getRoute(id) != null;
      try {
        if (ownership.owns(s.key()) && !running && !templateDown) {
          addRoute(s);
        } else if (!ownership.owns(s.key()) && running) {
          context.getRouteController().stopRoute(id);
          context.removeRoute(id);
        }
      } catch (Exception e) {
        LOG.error("stream {}: cannot {} its route", s.key(), running ? "stop" : "start", e);
      }
    }
  }

  /** The streams this instance pulls now (a route each). */
  public List<String> pulledStreams() {
    if (context == null) {
      return List.of();
    }
    return streams.values().stream()
        .filter(s -> context.getRoute(routeId(s)) != null)
        .map(StreamConfig::key)
        .sorted()
        .toList();
  }

  private void provisionTopics() throws InterruptedException {
    List<NewTopic> topics = new ArrayList<>(TopicProvisioner.controlTopics());
    topics.addAll(ownership.topics());
    topics.addAll(streamTopics(config));
    try (TopicProvisioner provisioner = new TopicProvisioner(config.kafkaBootstrapServers())) {
      provisioner.ensure(topics, Duration.ofSeconds(30));
    }
  }

  /**
   * The topics of every stream of the file's cameras, pulled and published (a publisher writes the
   * media topic, the packager reads it), each with its camera's retention and size bound.
   */
  static List<NewTopic> streamTopics(CamflowConfig config) {
    List<NewTopic> topics = new ArrayList<>();
    for (var camera : config.cameras()) {
      for (StreamKey key : camera.streamKeys()) {
        topics.addAll(
            TopicProvisioner.streamTopics(key, camera.dvrRetention(), camera.dvrMaxSize()));
      }
    }
    return topics;
  }

  private Optional<SourceAddress> address(StreamKey key) {
    return Optional.ofNullable(streams.get(key.toString()))
        .map(
            s ->
                new SourceAddress(
                    s.url(),
                    s.username(),
                    s.password() == null ? null : s.password().reveal(),
                    s.tls()));
  }

  static String routeId(StreamConfig s) {
    return "stream:" + s.key();
  }

  @Override
  public synchronized void removeRoutesOf(String templateId) throws Exception {
    if (!STREAM_TEMPLATE.equals(templateId)) {
      return;
    }
    templateDown = true;
    for (StreamConfig s : streams.values()) {
      String id = routeId(s);
      if (context.getRoute(id) != null) {
        context.getRouteController().stopRoute(id);
        context.removeRoute(id);
      }
    }
  }

  @Override
  public synchronized void addRoutesOf(String templateId) throws Exception {
    if (!STREAM_TEMPLATE.equals(templateId)) {
      return;
    }
    templateDown = false;
    for (StreamConfig s : streams.values()) {
      if (ownership.owns(s.key()) && context.getRoute(routeId(s)) == null) {
        addRoute(s);
      }
    }
  }

  private void addRoute(StreamConfig s) throws Exception {
    var b = s.backoff();
    TemplatedRouteBuilder.builder(context, STREAM_TEMPLATE)
        .routeId(routeId(s))
        .parameter("camera", s.camera())
        .parameter("stream", s.name())
        .parameter("topic", Topics.media(new StreamKey(s.camera(), s.name())))
        .parameter("transport", s.transport().yamlName())
        .parameter("mode", s.mode().yamlName())
        .parameter("idleGraceMs", Long.toString(s.idleGrace().toMillis()))
        .parameter("readTimeoutMs", Long.toString(s.readTimeout().toMillis()))
        .parameter("backoffInitialMs", Long.toString(b.initial().toMillis()))
        .parameter("backoffMaxMs", Long.toString(b.max().toMillis()))
        .parameter("backoffMultiplier", Double.toString(b.multiplier()))
        .parameter("backoffJitter", Double.toString(b.jitter()))
        .parameter("authBackoffInitialMs", Long.toString(b.authInitial().toMillis()))
        .parameter("authBackoffMaxMs", Long.toString(b.authMax().toMillis()))
        .add();
  }

  /**
   * Gives up ownership first (the streams stop, others may take them), then stops watching routes.
   */
  @Override
  public void close() {
    ownership.close();
    if (reloader != null) {
      reloader.close();
    }
  }
}
