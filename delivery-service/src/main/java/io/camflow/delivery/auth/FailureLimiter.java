package io.camflow.delivery.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Counts refused requests per client address in fixed windows; a client that reached the limit
 * in the current window is refused (429) until the window ends, whatever it sends, so guessing
 * and hammering cost the server a map lookup. Bounded: old windows are dropped when many clients
 * are tracked. Thread-safe.
 */
public final class FailureLimiter {

  private static final int MAX_CLIENTS = 100_000;

  private final int limit;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private record Window(long start, AtomicInteger failures) {}

  /** @param limit refusals per window before the client is blocked; 0 for no limit */
  public FailureLimiter(int limit, Duration window, LongSupplier nanoTime) {
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Whether {@code client} is blocked now. */
  public boolean blocked(String client) {
    if (limit == 0) {
      return false;
    }
    Window w = windows.get(client);
    return w != null && nanoTime.getAsLong() - w.start() < windowNanos && w.failures().get() >= limit;
  }

  /** Seconds until {@code client}'s window ends (Retry-After), at least 1. */
  public long retryAfterSeconds(String client) {
    Window w = windows.get(client);
    long left = w == null ? 0 : windowNanos - (nanoTime.getAsLong() - w.start());
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /** Counts one refused request of {@code client}. */
  public void failed(String client) {
    if (limit == 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (windows.size() >= MAX_CLIENTS) {
      windows.values().removeIf(w -> now - w.start() >= windowNanos);
      if (windows.size() >= MAX_CLIENTS) {
        windows.clear();
      }
    }
    windows.compute(client, (k, w) -> w == null || now - w.start() >= windowNanos
        ? new Window(now, new AtomicInteger(1))
        : increment(w));
  }

  private static Window increment(Window w) {
    w.failures().incrementAndGet();
    return w;
  }
}
