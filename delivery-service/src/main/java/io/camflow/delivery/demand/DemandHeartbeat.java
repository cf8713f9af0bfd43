package io.camflow.delivery.demand;

import io.camflow.delivery.live.LiveStream;
import io.camflow.delivery.live.LiveStreams;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells ingest which streams have viewers (docs/record-format.md, camflow.demand), so an
 * on-demand camera is pulled while anyone watches. {@link #beat} runs from the timer route every
 * 2 s; each stream with viewers goes to {@code direct:demand}, which routes/delivery.camel.yaml
 * sends to Kafka with key {@code camera/stream}.
 */
public final class DemandHeartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(DemandHeartbeat.class);
  /** A viewer counts while it made a request within this window (plain HLS reloads every ~2 s). */
  static final long VIEWER_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final LiveStreams streams;
  private final CamelContext context;
  private volatile ProducerTemplate template;

  public DemandHeartbeat(LiveStreams streams, CamelContext context) {
    this.streams = streams;
    this.context = context;
  }

  /** One heartbeat for every watched stream with viewers. */
  public void beat() {
    for (LiveStream s : streams.watched()) {
      int viewers = s.viewers(VIEWER_WINDOW_NANOS);
      if (viewers > 0) {
        send(s, viewers);
      }
    }
  }

  /** A heartbeat for one stream now (its first viewer should not wait for the next beat). */
  public void send(LiveStream s, int viewers) {
    try {
      template().sendBodyAndHeader("direct:demand", json(s.key().toString(), viewers, System.currentTimeMillis()),
          "kafka.KEY", s.key().toString());
    } catch (RuntimeException e) {
      LOG.warn("{}: demand heartbeat not sent: {}", s.key(), e.getMessage());
    }
  }

  /** The record value; stream names are [a-z0-9_-] and '/', nothing to escape. */
  static String json(String stream, int viewers, long atMillis) {
    return "{\"stream\":\"" + stream + "\",\"viewers\":" + viewers + ",\"at\":" + atMillis + "}";
  }

  private ProducerTemplate template() {
    ProducerTemplate t = template;
    if (t == null) {
      synchronized (this) {
        if (template == null) {
          template = context.createProducerTemplate();
        }
        t = template;
      }
    }
    return t;
  }
}
