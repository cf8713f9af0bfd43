package io.camflow.ingest.rtsp;

import io.camflow.ingest.status.StreamMonitor;
import io.camflow.media.AccessUnit;
import io.camflow.media.WallClock;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Runs one {@link StreamPuller} on its own thread and turns each access unit into an exchange
 * routed asynchronously: the pulling thread never waits for Kafka.
 */
public class RtspConsumer extends DefaultConsumer {

  /** Camel-kafka's header for the record timestamp; the capture wall clock goes there. */
  static final String KAFKA_TIMESTAMP = "kafka.OVERRIDE_TIMESTAMP";

  private ExecutorService executor;
  private StreamPuller puller;

  /** camflow_ingest_* meters of this stream; null without metrics. */
  private Counter accessUnits;

  private Counter bytes;
  private Counter sessions;
  private String lastSession;

  /**
   * {@link MediaRecordFormat#INSTANCE}: which ingest instance owned the stream when it pulled this.
   */
  private byte[] instance;

  RtspConsumer(RtspEndpoint endpoint, Processor processor) {
    super(endpoint, processor);
  }

  @Override
  public RtspEndpoint getEndpoint() {
    return (RtspEndpoint) super.getEndpoint();
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    RtspEndpoint endpoint = getEndpoint();
    RtspComponent component = endpoint.getComponent();
    RtspConfiguration config = endpoint.getConfiguration();
    StreamMonitor monitor =
        new StreamMonitor(
            endpoint.getKey().toString(),
            component.getInstanceId(),
            component.getStatusListener(),
            Duration.ofMillis(config.getStatsIntervalMs()),
            Clock.systemUTC());
    instance = component.getInstanceId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ServiceMetrics.registryOf(endpoint.getCamelContext())
        .ifPresent(
            r -> {
              String stream = endpoint.getKey().toString();
              accessUnits = r.counter("camflow_ingest_access_units", "stream", stream);
              bytes = r.counter("camflow_ingest_bytes", "stream", stream);
              sessions = r.counter("camflow_ingest_sessions", "stream", stream);
            });
    puller =
        new StreamPuller(
            endpoint.getKey(),
            config,
            component.getCatalog(),
            component.getSourceFactory(),
            component.getDemandTracker(),
            component.connections(),
            monitor,
            this::emit);
    executor =
        getEndpoint()
            .getCamelContext()
            .getExecutorServiceManager()
            .newSingleThreadExecutor(this, "rtsp-" + endpoint.getKey());
    executor.submit(puller);
  }

  @Override
  protected void doStop() throws Exception {
    if (puller != null) {
      puller.stop();
    }
    if (executor != null) {
      getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor, 5_000);
      executor = null;
    }
    super.doStop();
  }

  private void emit(AccessUnit au, String session, long captureMillis) {
    // the puller calls this the moment the access unit is complete: ingest's receipt time, which
    // differs from the capture time when the camera's RTCP clock is in use (docs/record-format.md)
    long receivedMicros = WallClock.micros();
    if (accessUnits != null) {
      accessUnits.increment();
      bytes.increment(au.data().length);
      if (!session.equals(lastSession)) { // a new source session: a (re)connect
        lastSession = session;
        sessions.increment();
      }
    }
    Exchange exchange = createExchange(false);
    Message message = exchange.getMessage();
    message.setBody(au.data());
    for (Map.Entry<String, byte[]> h :
        MediaRecordFormat.headers(au, session, receivedMicros).entrySet()) {
      message.setHeader(h.getKey(), h.getValue());
    }
    message.setHeader(MediaRecordFormat.INSTANCE, instance);
    message.setHeader(KAFKA_TIMESTAMP, captureMillis);
    getAsyncProcessor()
        .process(
            exchange,
            doneSync -> {
              if (exchange.getException() != null) {
                getExceptionHandler()
                    .handleException(
                        "failed to route an access unit", exchange, exchange.getException());
              }
              releaseExchange(exchange, false);
            });
  }
}
