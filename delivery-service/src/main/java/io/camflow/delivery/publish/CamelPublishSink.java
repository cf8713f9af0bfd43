package io.camflow.delivery.publish;

import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.Topics;
import io.camflow.media.record.MediaRecordFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends published access units and state changes through routes/delivery.camel.yaml: {@value
 * #MEDIA_URI} (the stream's media topic, by {@code kafka.OVERRIDE_TOPIC}, with the record headers
 * and timestamp ingest gives a pulled camera's) and {@value #STATUS_URI} ({@code camflow.status},
 * keyed by stream). One sender thread hands everything to the routes in the order it came, so a
 * stream's records stay in order and no connection thread ever waits for Kafka; what waits for it
 * is bounded ({@code maxQueuedBytes}): past that, {@link #media} says no and the publication ends.
 */
public final class CamelPublishSink implements PublishSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CamelPublishSink.class);

  static final String MEDIA_URI = "direct:camflow-publish";
  static final String STATUS_URI = "direct:camflow-publish-status";
  private static final String TOPIC = "kafka.OVERRIDE_TOPIC";
  private static final String TIMESTAMP = "kafka.OVERRIDE_TIMESTAMP";
  private static final String KEY = "kafka.KEY";

  private final CamelContext context;
  private final byte[] instance;
  private final StatusRecords statusRecords;
  private final long maxQueuedBytes;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final Thread sender;
  private volatile boolean closed;
  private AsyncProcessor media;
  private AsyncProcessor status;
  private Producer mediaProducer;
  private Producer statusProducer;

  /**
   * @param instance this delivery instance's id ({@code camflow.instance} header, the status)
   * @param maxQueuedBytes access unit bytes that may wait for the routes before publications end
   */
  public CamelPublishSink(CamelContext context, String instance, long maxQueuedBytes) {
    this.context = context;
    this.instance = instance.getBytes(StandardCharsets.UTF_8);
    this.statusRecords = new StatusRecords(instance);
    this.maxQueuedBytes = maxQueuedBytes;
    this.sender = Thread.ofPlatform().daemon().name("camflow-publish-out").unstarted(this::run);
    sender.start();
  }

  @Override
  public boolean media(
      StreamKey key, AccessUnit au, String session, long captureMillis, long receivedMicros) {
    int size = au.data().length;
    if (closed || queuedBytes.addAndGet(size) > maxQueuedBytes) {
      queuedBytes.addAndGet(-size);
      return false;
    }
    String topic = Topics.media(key);
    queue.add(
        () -> {
          queuedBytes.addAndGet(-size);
          Exchange exchange = mediaEndpoint().createExchange();
          exchange.getMessage().setBody(au.data());
          for (Map.Entry<String, byte[]> h :
              MediaRecordFormat.headers(au, session, receivedMicros).entrySet()) {
            exchange.getMessage().setHeader(h.getKey(), h.getValue());
          }
          exchange.getMessage().setHeader(MediaRecordFormat.INSTANCE, instance);
          exchange.getMessage().setHeader(TOPIC, topic);
          exchange.getMessage().setHeader(TIMESTAMP, captureMillis);
          media.process(exchange, done -> failed(exchange, key, "an access unit"));
        });
    return true;
  }

  @Override
  public void status(PublicationState state) {
    if (closed) {
      return;
    }
    byte[] record = statusRecords.of(state);
    queue.add(
        () -> {
          Exchange exchange = statusEndpoint().createExchange();
          exchange.getMessage().setBody(record);
          exchange.getMessage().setHeader(KEY, state.key().toString());
          status.process(exchange, done -> failed(exchange, state.key(), "its status"));
        });
  }

  private static void failed(Exchange exchange, StreamKey key, String what) {
    if (exchange.getException() != null) {
      LOG.warn("{}: {} not written: {}", key, what, exchange.getException().getMessage());
    }
  }

  private Endpoint mediaEndpoint() {
    return context.getEndpoint(MEDIA_URI);
  }

  private Endpoint statusEndpoint() {
    return context.getEndpoint(STATUS_URI);
  }

  private void run() {
    try {
      mediaProducer = mediaEndpoint().createProducer();
      statusProducer = statusEndpoint().createProducer();
      ServiceHelper.startService(mediaProducer, statusProducer);
      media = AsyncProcessorConverterHelper.convert(mediaProducer);
      status = AsyncProcessorConverterHelper.convert(statusProducer);
    } catch (Exception e) {
      LOG.error("the publish routes cannot be used: {}", e.toString());
      closed = true;
      return;
    }
    while (!closed || !queue.isEmpty()) {
      try {
        queue.take().run();
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } catch (RuntimeException e) {
        LOG.warn("a published record was not handed to its route: {}", e.toString());
      }
    }
  }

  /** Access unit bytes waiting for the routes. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  /** Hands on what waits (the routes' producer then flushes as the context stops), then stops. */
  @Override
  public void close() {
    closed = true;
    queue.add(() -> {});
    try {
      sender.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ServiceHelper.stopService(mediaProducer, statusProducer);
  }
}
