package io.camflow.ingest.demand;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DemandTrackerTest {

  private static final Duration GRACE = Duration.ofSeconds(10);

  @Test
  void demandLastsForTheGraceAfterTheLastHeartbeat() {
    MutableClock clock = new MutableClock();
    DemandTracker tracker = new DemandTracker(clock);
    assertFalse(tracker.hasDemand("demo/main", GRACE));
    tracker.heartbeat("demo/main");
    assertTrue(tracker.hasDemand("demo/main", GRACE));
    assertFalse(tracker.hasDemand("demo/sub", GRACE));
    clock.advance(Duration.ofSeconds(10));
    assertTrue(tracker.hasDemand("demo/main", GRACE));
    clock.advance(Duration.ofMillis(1));
    assertFalse(tracker.hasDemand("demo/main", GRACE));
  }

  @Test
  void aHeartbeatWakesAWaiterPromptly() throws Exception {
    DemandTracker tracker = new DemandTracker();
    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return tracker.awaitDemand("demo/main", GRACE, () -> false);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(100);
    assertFalse(waiter.isDone());
    long sent = System.nanoTime();
    tracker.heartbeat("demo/main");
    assertTrue(waiter.get(1, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - sent < TimeUnit.MILLISECONDS.toNanos(500));
  }

  @Test
  void aStoppedWaiterReturnsFalse() throws Exception {
    DemandTracker tracker = new DemandTracker();
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return tracker.awaitDemand("demo/main", GRACE, stop::get);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    stop.set(true);
    assertFalse(waiter.get(2, TimeUnit.SECONDS));
  }

  @Test
  void heartbeatsWithoutAKeyAreIgnored() {
    DemandTracker tracker = new DemandTracker();
    tracker.heartbeat(null);
    tracker.heartbeat(" ");
    assertFalse(tracker.hasDemand(" ", GRACE));
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-21T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
