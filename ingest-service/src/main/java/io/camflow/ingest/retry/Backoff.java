package io.camflow.ingest.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry (from 0) waits {@code min(max, initial *
 * multiplier^n)}, spread by ±jitter so that many cameras failing together do not retry in lockstep.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

  public Backoff {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("backoff initial delay must be positive");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff max delay must be at least the initial delay");
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("backoff multiplier must be at least 1");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("backoff jitter must be in [0, 1)");
    }
  }

  /** The delay before retry number {@code attempt} (0 = first retry). */
  public Duration delay(int attempt) {
    return delay(attempt, ThreadLocalRandom.current().nextDouble(-1, 1));
  }

  /** As {@link #delay(int)} with the random factor in [-1, 1) given, for tests. */
  public Duration delay(int attempt, double random) {
    double base = initial.toMillis() * Math.pow(multiplier, Math.min(attempt, 64));
    double capped = Math.min(base, max.toMillis());
    double spread = capped * (1 + jitter * random);
    return Duration.ofMillis(Math.max(1, Math.round(Math.min(spread, max.toMillis()))));
  }
}
