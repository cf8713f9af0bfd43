package io.camflow.delivery.hub;

import io.camflow.delivery.door.Reply;
import io.camflow.delivery.hls.HoldQuota;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.whep.RtcStream;
import io.camflow.media.StreamKey;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams being watched on this instance, one {@link StreamHub} each, got or created by key. A
 * viewer's request opens a stream whose CMAF topic exists (its existence comes from a Kafka admin
 * client, listed at most once per second, asynchronously: request threads never wait on Kafka); one
 * timer lets go of the readers unused for the idle grace ({@code idleStop}) and closes the hubs
 * with none left.
 */
public final class StreamHubs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamHubs.class);
  private static final long TOPIC_LIST_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final DeliverySettings settings;
  private final ScheduledExecutorService scheduler;
  private final Admin admin;
  private final ConcurrentHashMap<StreamKey, StreamHub> hubs = new ConcurrentHashMap<>();

  /** The places for held LL-HLS requests, shared by every stream (CAMFLOW_MAX_HELD_REQUESTS*). */
  private final HoldQuota holds;

  private final TopicConsumers consumers = new TopicConsumers();
  private volatile CompletableFuture<Set<String>> topics;
  private volatile long topicsListedNanos;
  private volatile boolean kafkaAnswered;
  private volatile Consumer<StreamKey> onStart = k -> {};

  public StreamHubs(DeliverySettings settings, ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.holds = HoldQuota.of(settings.mse().viewerLimits());
    Properties p = new Properties();
    p.put("bootstrap.servers", settings.bootstrapServers());
    p.put("client.id", "camflow-delivery-admin");
    p.put("request.timeout.ms", "5000");
    p.put("default.api.timeout.ms", "10000");
    this.admin = Admin.create(p);
    scheduler.scheduleWithFixedDelay(this::closeIdle, 1, 1, TimeUnit.SECONDS);
    listTopics();
  }

  /**
   * Meters the hubs from now on: GOP caches held (camflow_delivery_hub_gop_caches), Kafka consumers
   * per topic (camflow_delivery_hub_topic_consumers), and each consumer's client metrics through
   * {@code clientMeter} (consume lag of each stream).
   */
  private final LongAdder pictureFrames = new LongAdder();

  public void meterWith(
      MeterRegistry registry, Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> clientMeter) {
    consumers.meterWith(registry, clientMeter);
    Gauge.builder("camflow_delivery_hub_gop_caches", this, StreamHubs::gopCaches)
        .description("GOP caches the stream hubs hold (one per watched stream)")
        .register(registry);
    Gauge.builder("camflow_delivery_hubs", hubs, ConcurrentHashMap::size)
        .description("streams with a hub on this instance")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "camflow_delivery_picture_frames_decoded", pictureFrames, LongAdder::sum)
        .description("video frames decoded for MJPEG viewers (every frame while one watches)")
        .register(registry);
  }

  /** Frames the streams' moving pictures decoded, all streams together (a metric). */
  LongAdder pictureFrames() {
    return pictureFrames;
  }

  /**
   * Called with every stream a viewer's request opened (e.g. to send its first demand heartbeat at
   * once).
   */
  public void onStart(Consumer<StreamKey> listener) {
    this.onStart = listener;
  }

  /** Whether Kafka has answered this service at least once. */
  public boolean ready() {
    if (!kafkaAnswered) {
      listTopics();
    }
    return kafkaAnswered;
  }

  /** The stream's hub, created if needed, for a viewer's request; empty if it has no CMAF topic. */
  public CompletableFuture<Optional<StreamHub>> open(StreamKey key) {
    StreamHub hub = hubs.get(key);
    if (hub != null && !hub.closed()) {
      hub.requested();
      return CompletableFuture.completedFuture(Optional.of(hub));
    }
    return listTopics()
        .thenApply(
            names -> {
              if (!names.contains(key.cmafTopic())) {
                return Optional.<StreamHub>empty();
              }
              boolean[] created = new boolean[1];
              StreamHub s =
                  hubs.compute(
                      key,
                      (k, h) -> {
                        if (h != null && !h.closed()) {
                          return h;
                        }
                        created[0] = true;
                        return new StreamHub(k, this);
                      });
              s.requested();
              if (created[0]) {
                onStart.accept(key);
              }
              return Optional.of(s);
            });
  }

  /**
   * Opens the stream for a viewer's request: {@code then} with its hub, or {@code refuse} with 503
   * (Kafka is not answering) or 404 (no such stream). Either runs on whichever thread completes the
   * lookup.
   */
  public void openFor(StreamKey key, Consumer<Reply> refuse, Consumer<StreamHub> then) {
    open(key)
        .whenComplete(
            (hub, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                refuse.accept(
                    Reply.text(503, "Kafka is not answering: " + cause.getClass().getSimpleName()));
              } else if (hub.isEmpty()) {
                refuse.accept(Reply.text(404, "unknown stream " + key));
              } else {
                then.accept(hub.get());
              }
            });
  }

  /**
   * The stream's WebRTC stream, its hub and media feed started if needed (the caller checked the
   * stream exists).
   */
  public RtcStream rtc(StreamKey key) {
    while (true) {
      RtcStream rtc =
          hubs.compute(key, (k, h) -> h == null || h.closed() ? new StreamHub(k, this) : h).rtc();
      if (rtc != null) {
        return rtc;
      }
    }
  }

  /** LL-HLS requests held waiting now, all streams (camflow_delivery_held_requests). */
  public int heldRequests() {
    return holds.held();
  }

  /** The streams watched now. */
  public List<StreamHub> watched() {
    return List.copyOf(hubs.values());
  }

  /** The hub of {@code key} if there is one (tests, status). */
  public Optional<StreamHub> find(StreamKey key) {
    return Optional.ofNullable(hubs.get(key));
  }

  /** GOP caches the hubs hold now. */
  public int gopCaches() {
    return hubs.values().stream().mapToInt(StreamHub::gopCaches).sum();
  }

  /** Kafka consumers the hubs hold for {@code topic} now. */
  public int consumers(String topic) {
    return consumers.count(topic);
  }

  /**
   * Streams whose AAC is being transcoded to Opus now (camflow_delivery_audio_transcoding_streams).
   */
  public int transcodingAudio() {
    return (int) hubs.values().stream().filter(StreamHub::transcodingAudio).count();
  }

  DeliverySettings settings() {
    return settings;
  }

  /** The Kafka the streams are read from. */
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  HoldQuota holds() {
    return holds;
  }

  TopicConsumers consumers() {
    return consumers;
  }

  private CompletableFuture<Set<String>> listTopics() {
    CompletableFuture<Set<String>> current = topics;
    if (current != null
        && (!current.isDone() || System.nanoTime() - topicsListedNanos < TOPIC_LIST_MAX_AGE_NANOS)
        && !current.isCompletedExceptionally()) {
      return current;
    }
    CompletableFuture<Set<String>> next = new CompletableFuture<>();
    topics = next;
    topicsListedNanos = System.nanoTime();
    admin
        .listTopics(new ListTopicsOptions().timeoutMs(5000))
        .names()
        .whenComplete(
            (names, error) -> {
              if (error != null) {
                next.completeExceptionally(error);
              } else {
                kafkaAnswered = true;
                topicsListedNanos = System.nanoTime();
                next.complete(names);
              }
            });
    return next;
  }

  /** The one idle timer of every stream's readers and hub. */
  private void closeIdle() {
    long grace = settings.idleStop().toNanos();
    for (StreamHub hub : hubs.values()) {
      try {
        if (hub.closeIdle(grace)) {
          hubs.remove(hub.key(), hub);
          LOG.info(
              "{}: no viewer for {} s, hub closed", hub.key(), settings.idleStop().toSeconds());
        }
      } catch (RuntimeException e) {
        LOG.warn("{}: stopping idle readers failed: {}", hub.key(), e.toString(), e);
      }
    }
  }

  @Override
  public void close() {
    for (StreamHub hub : hubs.values()) {
      hub.close();
    }
    hubs.clear();
    admin.close(Duration.ofSeconds(2));
  }
}
