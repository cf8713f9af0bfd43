package io.camflow.ingest.config;

import io.camflow.options.StreamOptions;
import java.time.Duration;

/**
 * How ingest retries a camera it cannot pull: the n-th retry waits {@code initial * multiplier^n},
 * capped at {@code max}, spread by ±{@code jitter} so cameras behind one switch do not retry in
 * step. When the camera rejected the credentials, retries use {@code authInitial}/{@code authMax}
 * instead: a wrong password retried every 500 ms locks the account on many cameras. The stream
 * setting {@code backoff}; the rtsp: endpoint turns it into {@code retry.Backoff}s, the delays
 * themselves.
 */
public record RetryPolicy(
    Duration initial,
    Duration max,
    double multiplier,
    double jitter,
    Duration authInitial,
    Duration authMax) {

  public static final RetryPolicy DEFAULTS =
      new RetryPolicy(
          StreamOptions.BACKOFF_INITIAL.defaultValue(),
          StreamOptions.BACKOFF_MAX.defaultValue(),
          StreamOptions.BACKOFF_MULTIPLIER.defaultValue(),
          StreamOptions.BACKOFF_JITTER.defaultValue(),
          StreamOptions.BACKOFF_AUTH_INITIAL.defaultValue(),
          StreamOptions.BACKOFF_AUTH_MAX.defaultValue());

  public RetryPolicy {
    StreamOptions.BACKOFF_INITIAL.require(initial);
    StreamOptions.BACKOFF_MAX.require(max);
    StreamOptions.BACKOFF_AUTH_INITIAL.require(authInitial);
    StreamOptions.BACKOFF_AUTH_MAX.require(authMax);
    StreamOptions.BACKOFF_MULTIPLIER.require(multiplier);
    StreamOptions.BACKOFF_JITTER.require(jitter);
    if (initial.compareTo(max) > 0) {
      throw new IllegalArgumentException("backoff.initial is larger than backoff.max");
    }
    if (authInitial.compareTo(authMax) > 0) {
      throw new IllegalArgumentException("backoff.authInitial is larger than backoff.authMax");
    }
  }
}
