package io.camflow.delivery.sessions;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * What the live path adds before a viewer has a frame: from the moment ingest had the access unit
 * complete (its records' {@code camflow.received.us}) to the moment it left for a viewer — MSE: the
 * write of its fragment to the viewer's socket completed ({@code mse.WriteLatency} decides which
 * fragments are live and when their write completed); WebRTC: its last RTP packet was sent. One
 * sample per live frame per viewer; exported as {@code
 * camflow_delivery_added_latency_seconds{protocol}} (docs/operations.md). The two times come from
 * the wall clocks of two processes: across machines the figure includes their clock offset, and
 * negative samples (a clock behind ingest's) are ignored by the timer.
 */
public final class AddedLatency {

  /** Histogram buckets: the targets (30 ms median, 100 ms p99) and what lies around them. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(20),
    Duration.ofMillis(30),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(200),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5)
  };

  private volatile Timer timer;
  private volatile LongConsumer listener;

  /** Exports the samples as {@code camflow_delivery_added_latency_seconds{protocol}}. */
  public void meterWith(MeterRegistry meters, String protocol) {
    timer =
        Timer.builder("camflow_delivery_added_latency")
            .description(
                "ingest receipt of an access unit to it sent to a viewer (MSE: socket write done; WebRTC: last RTP packet)")
            .tag("protocol", protocol)
            .serviceLevelObjectives(BUCKETS)
            .register(meters);
  }

  /**
   * Also hands every sample (µs) to {@code listener} (benchmarks; called on event-loop threads).
   */
  public void onSample(LongConsumer listener) {
    this.listener = listener;
  }

  /** One sample, in µs; negative ones (clocks apart) are dropped by the timer. */
  public void record(long micros) {
    Timer t = timer;
    if (t != null) {
      t.record(micros, TimeUnit.MICROSECONDS);
    }
    LongConsumer l = listener;
    if (l != null) {
      l.accept(micros);
    }
  }
}
