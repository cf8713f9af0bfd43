package io.camflow.ingest.demand;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the last viewer-demand heartbeat per stream (fed by the {@code camflow.demand} route)
 * and wakes the pulls waiting for one. A stream has demand while its last heartbeat is younger than
 * the stream's idle grace.
 */
public final class DemandTracker {

  private static final Logger LOG = LoggerFactory.getLogger(DemandTracker.class);

  private final Clock clock;
  private final Map<String, Long> lastHeartbeat = new ConcurrentHashMap<>();
  private final Object signal = new Object();

  public DemandTracker() {
    this(Clock.systemUTC());
  }

  public DemandTracker(Clock clock) {
    this.clock = clock;
  }

  /** A viewer-demand heartbeat for {@code camera/stream} arrived. */
  public void heartbeat(String streamKey) {
    if (streamKey == null || streamKey.isBlank()) {
      LOG.debug("ignoring a demand heartbeat without a stream key");
      return;
    }
    lastHeartbeat.put(streamKey, clock.millis());
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  public boolean hasDemand(String streamKey, Duration grace) {
    Long last = lastHeartbeat.get(streamKey);
    return last != null && clock.millis() - last <= grace.toMillis();
  }

  /**
   * Blocks until the stream has demand or {@code stop} says so.
   *
   * @return true when demand arrived, false when stopped
   */
  public boolean awaitDemand(String streamKey, Duration grace, BooleanSupplier stop)
      throws InterruptedException {
    synchronized (signal) {
      while (!stop.getAsBoolean()) {
        if (hasDemand(streamKey, grace)) {
          return true;
        }
        signal.wait(250); // also re-checks stop without a dedicated wake-up
      }
    }
    return false;
  }
}
