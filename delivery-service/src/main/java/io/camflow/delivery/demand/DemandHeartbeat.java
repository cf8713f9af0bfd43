package io.camflow.delivery.demand;

import io.camflow.delivery.hub.StreamHub;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells ingest which streams have viewers (docs/record-format.md, camflow.demand), so an on-demand
 * camera is pulled while anyone watches. {@link #beat} runs from the timer route every 2 s; each
 * stream with viewers goes to {@code direct:demand}, which routes/delivery.camel.yaml sends to
 * Kafka with key {@code camera/stream}. The viewers are the {@link ViewerSessions}' (every
 * protocol); a stream asked for lately whose viewer has no session yet (a WebRTC offer waiting for
 * the camera's first picture) counts one, or an on-demand camera would never start for it.
 */
public final class DemandHeartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(DemandHeartbeat.class);

  /** A stream asked for within this window counts as watched (plain HLS reloads every ~2 s). */
  public static final long VIEWER_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ViewerSessions sessions;
  private final StreamHubs hubs;
  private final CamelContext context;
  private volatile ProducerTemplate template;

  public DemandHeartbeat(ViewerSessions sessions, StreamHubs hubs, CamelContext context) {
    this.sessions = sessions;
    this.hubs = hubs;
    this.context = context;
  }

  /** One heartbeat for every stream with viewers. */
  public void beat() {
    watched().forEach(this::send);
  }

  /** The streams with viewers now and how many. */
  Map<StreamKey, Integer> watched() {
    Map<StreamKey, Integer> watched = new HashMap<>(sessions.perStream());
    for (StreamHub hub : hubs.watched()) {
      if (hub.requestedWithin(VIEWER_WINDOW_NANOS)) {
        watched.merge(hub.key(), 1, Math::max);
      }
    }
    return watched;
  }

  /** A heartbeat for one stream now (its first viewer should not wait for the next beat). */
  public void send(StreamKey key, int viewers) {
    try {
      template()
          .sendBodyAndHeader(
              "direct:demand",
              json(key.toString(), viewers, System.currentTimeMillis()),
              "kafka.KEY",
              key.toString());
    } catch (RuntimeException e) {
      LOG.warn("{}: demand heartbeat not sent: {}", key, e.getMessage());
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
