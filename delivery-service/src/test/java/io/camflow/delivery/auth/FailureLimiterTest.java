package io.camflow.delivery.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureLimiterTest {

  long now = 1_000_000_000L;
  final FailureLimiter limiter = new FailureLimiter(3, Duration.ofSeconds(60), () -> now);

  @Test
  void aClientIsBlockedAtTheLimitUntilItsWindowEnds() {
    for (int i = 0; i < 2; i++) {
      limiter.failed("10.0.0.1");
    }
    assertFalse(limiter.blocked("10.0.0.1"));
    limiter.failed("10.0.0.1");
    assertTrue(limiter.blocked("10.0.0.1"));
    assertFalse(limiter.blocked("10.0.0.2"), "other clients are not affected");
    now += Duration.ofSeconds(30).toNanos();
    assertTrue(limiter.blocked("10.0.0.1"));
    assertEquals(30, limiter.retryAfterSeconds("10.0.0.1"));
    now += Duration.ofSeconds(30).toNanos();
    assertFalse(limiter.blocked("10.0.0.1"), "a new window");
    limiter.failed("10.0.0.1");
    assertFalse(limiter.blocked("10.0.0.1"), "counted afresh");
  }

  @Test
  void zeroMeansNoLimit() {
    FailureLimiter none = new FailureLimiter(0, Duration.ofSeconds(60), () -> now);
    for (int i = 0; i < 1000; i++) {
      none.failed("x");
    }
    assertFalse(none.blocked("x"));
  }
}
