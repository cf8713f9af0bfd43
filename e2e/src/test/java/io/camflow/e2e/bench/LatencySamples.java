package io.camflow.e2e.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/** Latency samples in µs from any thread, into a fixed array (no allocation per sample). */
final class LatencySamples implements LongConsumer {

  private final long[] values;
  private final AtomicInteger n = new AtomicInteger();
  private volatile boolean on;

  LatencySamples(int capacity) {
    values = new long[capacity];
  }

  /** Forgets what came so far and takes samples from now on. */
  void start() {
    on = false;
    n.set(0);
    on = true;
  }

  /** Stops taking samples; returns those taken since {@link #start()}, sorted. */
  long[] stop() {
    on = false;
    long[] v = Arrays.copyOf(values, Math.min(n.get(), values.length));
    Arrays.sort(v);
    return v;
  }

  @Override
  public void accept(long micros) {
    if (on) {
      int i = n.getAndIncrement();
      if (i < values.length) {
        values[i] = micros;
      }
    }
  }

  /** {@code n=… p50 … p95 … p99 … max …} in ms, nearest rank. */
  static String summary(long[] sorted) {
    if (sorted.length == 0) {
      return "no sample";
    }
    return String.format(
        Locale.ROOT,
        "n=%d min %.1f p50 %.1f p95 %.1f p99 %.1f max %.1f ms",
        sorted.length,
        sorted[0] / 1e3,
        pct(sorted, 50) / 1e3,
        pct(sorted, 95) / 1e3,
        pct(sorted, 99) / 1e3,
        sorted[sorted.length - 1] / 1e3);
  }

  static long pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
