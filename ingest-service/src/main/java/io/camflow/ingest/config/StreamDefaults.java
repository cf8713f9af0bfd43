package io.camflow.ingest.config;

import java.time.Duration;
import java.util.Objects;

/** The stream settings a stream gets when it does not set them itself ({@code defaults:} in the file). */
public record StreamDefaults(Transport transport, Mode mode, Duration idleGrace, Duration readTimeout,
    Backoff backoff) {

  /** What camflow uses when {@code defaults:} does not say either. */
  public static final StreamDefaults BUILT_IN = new StreamDefaults(Transport.TCP, Mode.ON_DEMAND,
      Duration.ofSeconds(10), Duration.ofSeconds(10), Backoff.DEFAULTS);

  public StreamDefaults {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(mode, "mode");
    StreamConfig.IDLE_GRACE.require("idleGrace", idleGrace);
    StreamConfig.READ_TIMEOUT.require("readTimeout", readTimeout);
    Objects.requireNonNull(backoff, "backoff");
  }
}
