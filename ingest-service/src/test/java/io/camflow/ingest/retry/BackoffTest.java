package io.camflow.ingest.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.2);

  @Test
  void growsExponentiallyUpToTheCap() {
    assertEquals(500, backoff.delay(0, 0).toMillis());
    assertEquals(1000, backoff.delay(1, 0).toMillis());
    assertEquals(2000, backoff.delay(2, 0).toMillis());
    assertEquals(30_000, backoff.delay(10, 0).toMillis());
    assertEquals(30_000, backoff.delay(Integer.MAX_VALUE, 0).toMillis());
  }

  @Test
  void jitterSpreadsWithinBoundsAndNeverPassesTheCap() {
    assertEquals(400, backoff.delay(0, -1).toMillis());
    assertEquals(599, backoff.delay(0, 0.999).toMillis(), 1);
    assertEquals(30_000, backoff.delay(20, 0.999).toMillis());
    for (int i = 0; i < 1000; i++) {
      long first = backoff.delay(0).toMillis();
      assertTrue(first >= 400 && first <= 600, "first retry within ±20 % of 500 ms: " + first);
    }
  }

  @Test
  void firstRetryOfTheDefaultsIsWithinOneSecond() {
    for (int i = 0; i < 1000; i++) {
      assertTrue(backoff.delay(0).toMillis() <= 1000);
    }
  }

  @Test
  void rejectsNonsense() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 2, 1.0));
  }
}
