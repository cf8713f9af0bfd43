package io.camflow.delivery.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open connections of the HTTP port, for the metrics: how many, how many bytes delivery has
 * queued for them that their clients have not taken yet, and how many were closed by a {@link
 * ConnectionGuard} timeout, by reason.
 */
public final class Connections {

  /**
   * Why a guard closed a connection: the label values of {@code
   * camflow_delivery_http_closed_total}.
   */
  static final Set<String> REASONS =
      Set.of(ConnectionGuard.IDLE, ConnectionGuard.READ, ConnectionGuard.WRITE);

  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> closed = new ConcurrentHashMap<>();

  void opened(Channel channel) {
    open.add(channel);
    channel.closeFuture().addListener(f -> open.remove(channel));
  }

  void closedFor(String reason) {
    closed.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /**
   * Registers {@code camflow_delivery_http_connections}, {@code
   * camflow_delivery_http_outbound_bytes} and {@code camflow_delivery_http_closed_total{reason}}
   * (docs/operations.md).
   */
  public void meterWith(MeterRegistry meters) {
    Gauge.builder("camflow_delivery_http_connections", this, Connections::count).register(meters);
    Gauge.builder("camflow_delivery_http_outbound_bytes", this, Connections::outboundBytes)
        .register(meters);
    for (String reason : REASONS) {
      FunctionCounter.builder("camflow_delivery_http_closed", this, c -> c.closed(reason))
          .tag("reason", reason)
          .register(meters);
    }
  }

  /** Connections open now. */
  public int count() {
    return open.size();
  }

  /** Bytes written to the connections' outbound buffers and not yet taken by the sockets. */
  public long outboundBytes() {
    long n = 0;
    for (Channel c : open) {
      ChannelOutboundBuffer out = c.unsafe().outboundBuffer();
      n += out == null ? 0 : out.totalPendingWriteBytes();
    }
    return n;
  }

  /** Connections closed so far for {@code reason} (one of {@link #REASONS}). */
  public long closed(String reason) {
    LongAdder n = closed.get(reason);
    return n == null ? 0 : n.sum();
  }
}
