package io.camflow.ingest.config;

import io.camflow.options.StreamOptions;
import io.camflow.registry.PullMode;
import io.camflow.registry.StreamSettings;
import io.camflow.registry.Transport;
import java.time.Duration;
import java.util.Objects;

/**
 * The stream settings a stream gets when it does not set them itself ({@code defaults:} in the
 * file).
 */
public record StreamDefaults(
    Transport transport,
    PullMode mode,
    Duration idleGrace,
    Duration readTimeout,
    RetryPolicy backoff) {

  /** What camflow uses when {@code defaults:} does not say either. */
  public static final StreamDefaults BUILT_IN =
      new StreamDefaults(
          StreamSettings.DEFAULTS.transport(),
          StreamSettings.DEFAULTS.mode(),
          StreamSettings.DEFAULTS.idleGrace(),
          StreamSettings.DEFAULTS.readTimeout(),
          RetryPolicy.DEFAULTS);

  public StreamDefaults {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(mode, "mode");
    StreamOptions.IDLE_GRACE.require(idleGrace);
    StreamOptions.READ_TIMEOUT.require(readTimeout);
    Objects.requireNonNull(backoff, "backoff");
  }

  /** Transport, mode, idleGrace and readTimeout, the base a stream's own settings resolve over. */
  public StreamSettings settings() {
    return new StreamSettings(transport, mode, idleGrace, readTimeout);
  }
}
