package io.camflow.delivery.live;

import io.camflow.delivery.hls.HeldRequests;
import io.camflow.delivery.hls.HlsResponder;
import io.camflow.delivery.hls.HoldQuota;
import io.camflow.delivery.hls.Reply;
import io.camflow.delivery.hls.StreamWindow;
import io.camflow.delivery.mse.MseStream;
import io.camflow.media.StreamKey;
import io.camflow.media.hls.PlaylistWindow;
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
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams being watched on this instance. The first request for a stream whose CMAF topic
 * exists starts its {@link LiveStream} (one Kafka consumer); a stream nobody asked for during
 * {@code idleStop} is stopped. Topic existence comes from a Kafka admin client, listed at most
 * once per second, asynchronously (request threads never wait on Kafka).
 */
public final class LiveStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);
  private static final long TOPIC_LIST_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final DeliverySettings settings;
  private final ScheduledExecutorService scheduler;
  private final Admin admin;
  private final ConcurrentHashMap<StreamKey, LiveStream> streams = new ConcurrentHashMap<>();
  /** The places for held LL-HLS requests, shared by every stream (CAMFLOW_MAX_HELD_REQUESTS*). */
  private final HoldQuota holds;
  private volatile java.util.function.Function<org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>, AutoCloseable>
      consumerMeter = c -> () -> {};

  /** Meters every stream's Kafka consumer from now on (metrics: consume lag of each stream). */
  public void meterConsumersWith(
      java.util.function.Function<org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>, AutoCloseable> meter) {
    this.consumerMeter = meter;
  }
  private volatile CompletableFuture<Set<String>> topics;
  private volatile long topicsListedNanos;
  private volatile boolean kafkaAnswered;
  private volatile Consumer<LiveStream> onStart = s -> { };

  public LiveStreams(DeliverySettings settings, ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.holds = HoldQuota.of(settings.mse().viewerLimits());
    Properties p = new Properties();
    p.put("bootstrap.servers", settings.bootstrapServers());
    p.put("client.id", "camflow-delivery-admin");
    p.put("request.timeout.ms", "5000");
    p.put("default.api.timeout.ms", "10000");
    this.admin = Admin.create(p);
    scheduler.scheduleWithFixedDelay(this::stopIdle, 1, 1, TimeUnit.SECONDS);
    listTopics();
  }

  /** Called with every stream that starts (e.g. to send its first demand heartbeat at once). */
  public void onStart(Consumer<LiveStream> listener) {
    this.onStart = listener;
  }

  /** Whether Kafka has answered this service at least once. */
  public boolean ready() {
    if (!kafkaAnswered) {
      listTopics();
    }
    return kafkaAnswered;
  }

  /** The stream, started if needed; empty if it has no CMAF topic. */
  public CompletableFuture<Optional<LiveStream>> open(StreamKey key) {
    LiveStream live = streams.get(key);
    if (live != null) {
      return CompletableFuture.completedFuture(Optional.of(live));
    }
    return listTopics().thenApply(names -> {
      if (!names.contains(key.cmafTopic())) {
        return Optional.<LiveStream>empty();
      }
      boolean[] created = new boolean[1];
      LiveStream s = streams.computeIfAbsent(key, k -> {
        created[0] = true;
        return start(k);
      });
      if (created[0]) {
        onStart.accept(s);
      }
      return Optional.of(s);
    });
  }

  /**
   * Opens the stream for a viewer's request: {@code then} with it, or {@code refuse} with 503 (Kafka
   * is not answering) or 404 (no such stream). Either runs on whichever thread completes the lookup.
   */
  public void openFor(StreamKey key, Consumer<Reply> refuse, Consumer<LiveStream> then) {
    open(key).whenComplete((live, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        refuse.accept(Reply.text(503, "Kafka is not answering: " + cause.getClass().getSimpleName()));
      } else if (live.isEmpty()) {
        refuse.accept(Reply.text(404, "unknown stream " + key));
      } else {
        then.accept(live.get());
      }
    });
  }

  private LiveStream start(StreamKey key) {
    StreamWindow window = new StreamWindow(new PlaylistWindow(settings.partTarget(), settings.segmentTarget(),
        PlaylistWindow.DEFAULT_MAX_SEGMENTS));
    HeldRequests held = new HeldRequests(scheduler, holds);
    HlsResponder hls = new HlsResponder(window, held, settings.startWait());
    StreamFeed feed = new StreamFeed(key, settings.bootstrapServers(), settings.startSegments(), window, held,
        consumerMeter);
    MseStream mse = new MseStream(key, settings.mse(), scheduler);
    window.listener(mse); // before the feed starts: the GOP cache sees every record
    LiveStream live = new LiveStream(key, window, held, hls, feed, mse);
    feed.start();
    LOG.info("{}: first viewer, consumer started", key);
    return live;
  }

  /** LL-HLS requests held waiting now, all streams (camflow_delivery_held_requests). */
  public int heldRequests() {
    return holds.held();
  }

  /** The streams currently watched. */
  public List<LiveStream> watched() {
    return List.copyOf(streams.values());
  }

  private CompletableFuture<Set<String>> listTopics() {
    CompletableFuture<Set<String>> current = topics;
    if (current != null && (!current.isDone() || System.nanoTime() - topicsListedNanos < TOPIC_LIST_MAX_AGE_NANOS)
        && !current.isCompletedExceptionally()) {
      return current;
    }
    CompletableFuture<Set<String>> next = new CompletableFuture<>();
    topics = next;
    topicsListedNanos = System.nanoTime();
    admin.listTopics(new ListTopicsOptions().timeoutMs(5000)).names().whenComplete((names, error) -> {
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

  private void stopIdle() {
    long idle = settings.idleStop().toNanos();
    for (LiveStream s : streams.values()) {
      if (s.idleNanos() > idle || !s.feed().isAlive()) {
        if (streams.remove(s.key(), s)) {
          LOG.info("{}: no viewer for {} s, consumer stopped", s.key(), settings.idleStop().toSeconds());
          scheduler.execute(s.feed()::close);
          s.mse().close();
        }
      }
    }
  }

  @Override
  public void close() {
    for (LiveStream s : streams.values()) {
      s.feed().close();
      s.mse().close();
    }
    streams.clear();
    admin.close(Duration.ofSeconds(2));
  }
}
