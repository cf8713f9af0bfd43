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
  void failuresOverTheBudgetAreThrottledUntilTheBucketDrains() {
    assertFalse(limiter.failed("10.0.0.1"));
    assertFalse(limiter.failed("10.0.0.1"));
    assertFalse(limiter.overBudget("10.0.0.1"));
    assertFalse(limiter.failed("10.0.0.1"), "the third failure still fits");
    assertTrue(limiter.overBudget("10.0.0.1"), "the next one would not");
    assertTrue(limiter.failed("10.0.0.1"));
    assertFalse(limiter.overBudget("10.0.0.2"), "other clients are not affected");
    // 4 held, 3 per minute drain: one more fits once 2 have drained (40 s)
    assertEquals(40, limiter.retryAfterSeconds("10.0.0.1"));
    now += Duration.ofSeconds(39).toNanos();
    assertTrue(limiter.overBudget("10.0.0.1"));
    now += Duration.ofSeconds(1).toNanos();
    assertFalse(limiter.overBudget("10.0.0.1"), "drained enough");
    assertFalse(limiter.failed("10.0.0.1"));
    assertTrue(limiter.failed("10.0.0.1"), "but no more");
  }

  @Test
  void aClientThatKeepsFailingOwesAtMostAnotherWindow() {
    for (int i = 0; i < 10_000; i++) {
      limiter.failed("10.0.0.1");
    }
    assertTrue(
        limiter.retryAfterSeconds("10.0.0.1") <= 80,
        "held at twice the limit: " + limiter.retryAfterSeconds("10.0.0.1"));
    now += Duration.ofSeconds(80).toNanos();
    assertFalse(limiter.overBudget("10.0.0.1"));
  }

  @Test
  void theTableIsBoundedAndForgetsTheLeastRecentOneByOne() {
    FailureLimiter big = new FailureLimiter(30, Duration.ofSeconds(60), () -> now);
    for (int i = 0; i < 31; i++) {
      big.failed("198.51.100.7");
    }
    assertTrue(big.overBudget("198.51.100.7"));
    for (int i = 0; i < 200_000; i++) { // a spray from 200k addresses, one failure each
      big.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
      if (i % 1000 == 0) {
        big.failed("198.51.100.7"); // the one failing all along
      }
      if (i == 150_000) {
        assertEquals(FailureLimiter.MAX_CLIENTS, big.tracked());
      }
    }
    assertEquals(FailureLimiter.MAX_CLIENTS, big.tracked(), "bounded");
    assertTrue(
        big.overBudget("198.51.100.7"),
        "no reset: the address failing all along is still throttled");
  }

  @Test
  void ipv6CountsPerSlash64() {
    for (int i = 0; i < 3; i++) {
      limiter.failed("2001:db8:1:2::" + Integer.toHexString(i + 1));
    }
    assertTrue(limiter.overBudget("2001:db8:1:2:ffff:ffff:ffff:ffff"), "the same /64");
    assertFalse(limiter.overBudget("2001:db8:1:3::1"), "another /64");
    assertEquals("2001:db8:1:2::/64", FailureLimiter.key("2001:0db8:0001:0002:0:0:0:9"));
    assertEquals("192.0.2.1", FailureLimiter.key("192.0.2.1"));
  }

  @Test
  void zeroMeansNoLimit() {
    FailureLimiter none = new FailureLimiter(0, Duration.ofSeconds(60), () -> now);
    for (int i = 0; i < 1000; i++) {
      assertFalse(none.failed("x"));
    }
    assertFalse(none.overBudget("x"));
  }
}
