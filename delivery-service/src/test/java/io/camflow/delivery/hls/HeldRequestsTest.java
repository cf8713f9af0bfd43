package io.camflow.delivery.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeldRequestsTest {

  final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  final HeldRequests held = new HeldRequests(timer);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void aRequestIsAnsweredOnceEvenWhenTheTimeoutRacesTheAnswer() throws Exception {
    for (int i = 0; i < 200; i++) {
      AtomicInteger answers = new AtomicInteger();
      AtomicBoolean ready = new AtomicBoolean();
      held.hold(
          () -> {
            if (ready.get()) {
              answers.incrementAndGet();
              return true;
            }
            return false;
          },
          Duration.ofMillis(1),
          answers::incrementAndGet);
      Thread.sleep(1);
      ready.set(true);
      held.recheck();
      Thread.sleep(5);
      assertEquals(1, answers.get(), "round " + i);
    }
    assertEquals(0, held.size());
  }

  @Test
  void oneAddressHoldsNoMoreThanItsShareAndOthersStillWait() {
    HoldQuota quota = new HoldQuota(4, 2);
    HeldRequests a = new HeldRequests(timer, quota);
    HeldRequests b = new HeldRequests(timer, quota); // another stream: the same places
    AtomicBoolean ready = new AtomicBoolean();
    AtomicInteger ran = new AtomicInteger();
    BooleanSupplier check =
        () -> {
          ran.incrementAndGet();
          return ready.get();
        };
    assertTrue(a.hold("203.0.113.7", check, Duration.ofMinutes(1), () -> {}));
    assertTrue(b.hold("203.0.113.7", check, Duration.ofMinutes(1), () -> {}));
    int checks = ran.get();
    assertFalse(
        a.hold(
            "203.0.113.7", check, Duration.ofMinutes(1), () -> fail("not held, so never expired")),
        "the address's share is taken, on every stream together");
    assertEquals(checks, ran.get(), "a refused hold runs nothing");
    assertTrue(
        a.hold("203.0.113.8", check, Duration.ofMinutes(1), () -> {}),
        "another address still waits");
    assertTrue(
        a.hold("127.0.0.1", check, Duration.ofMinutes(1), () -> {}), "loopback: the total only");
    assertFalse(b.hold("198.51.100.1", check, Duration.ofMinutes(1), () -> {}), "4 in total");
    assertEquals(4, quota.held());
    ready.set(true);
    a.recheck(); // answers a's three
    assertEquals(1, quota.held(), "answered requests give their places back");
    assertTrue(a.hold("203.0.113.7", () -> false, Duration.ofMinutes(1), () -> {}));
    b.expireAll();
    a.expireAll();
    assertEquals(0, quota.held(), "expired ones too");
  }

  @Test
  void aRequestThatTimesOutGivesItsPlaceBack() throws Exception {
    HoldQuota quota = new HoldQuota(1, 1);
    HeldRequests one = new HeldRequests(timer, quota);
    java.util.concurrent.CountDownLatch expired = new java.util.concurrent.CountDownLatch(1);
    assertTrue(one.hold("203.0.113.7", () -> false, Duration.ofMillis(50), expired::countDown));
    assertFalse(one.hold("203.0.113.9", () -> false, Duration.ofMillis(50), () -> {}));
    assertTrue(expired.await(10, java.util.concurrent.TimeUnit.SECONDS));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (quota.held() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(0, quota.held());
    assertTrue(one.hold("203.0.113.9", () -> true, Duration.ofMillis(50), () -> {}));
  }

  @Test
  void expireAllAnswersEveryHeldRequest() {
    AtomicInteger expired = new AtomicInteger();
    held.hold(() -> false, Duration.ofMinutes(1), expired::incrementAndGet);
    held.hold(() -> false, Duration.ofMinutes(1), expired::incrementAndGet);
    held.expireAll();
    held.expireAll();
    assertEquals(2, expired.get());
    assertEquals(0, held.size());
  }
}
