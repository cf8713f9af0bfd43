package io.camflow.ingest.config;

import java.time.Duration;

/**
 * How ingest retries a camera it cannot pull: the n-th retry waits {@code initial * multiplier^n},
 * capped at {@code max}, spread by ±{@code jitter} so cameras behind one switch do not retry in step.
 * When the camera rejected the credentials, retries use {@code authInitial}/{@code authMax} instead:
 * a wrong password retried every 500 ms locks the account on many cameras.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter,
    Duration authInitial, Duration authMax) {

  static final DurationRange DELAY = new DurationRange(Duration.ofMillis(10), Duration.ofDays(1));
  static final double MIN_MULTIPLIER = 1.0;
  static final double MAX_MULTIPLIER = 10.0;
  static final double MIN_JITTER = 0.0;
  static final double MAX_JITTER = 1.0;

  // after DELAY: the constructor checks against it
  public static final Backoff DEFAULTS = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30),
      2.0, 0.2, Duration.ofSeconds(30), Duration.ofMinutes(5));

  public Backoff {
    DELAY.require("backoff.initial", initial);
    DELAY.require("backoff.max", max);
    DELAY.require("backoff.authInitial", authInitial);
    DELAY.require("backoff.authMax", authMax);
    if (!(multiplier >= MIN_MULTIPLIER && multiplier <= MAX_MULTIPLIER)) {
      throw new IllegalArgumentException("backoff.multiplier must be between 1 and 10, not " + multiplier);
    }
    if (!(jitter >= MIN_JITTER && jitter <= MAX_JITTER)) {
      throw new IllegalArgumentException("backoff.jitter must be between 0 and 1, not " + jitter);
    }
    if (initial.compareTo(max) > 0) {
      throw new IllegalArgumentException("backoff.initial is larger than backoff.max");
    }
    if (authInitial.compareTo(authMax) > 0) {
      throw new IllegalArgumentException("backoff.authInitial is larger than backoff.authMax");
    }
  }
}
