package io.camflow.delivery.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
      held.hold(() -> {
        if (ready.get()) {
          answers.incrementAndGet();
          return true;
        }
        return false;
      }, Duration.ofMillis(1), answers::incrementAndGet);
      Thread.sleep(1);
      ready.set(true);
      held.recheck();
      Thread.sleep(5);
      assertEquals(1, answers.get(), "round " + i);
    }
    assertEquals(0, held.size());
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
