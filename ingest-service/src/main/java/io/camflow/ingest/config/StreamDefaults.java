package io.camflow.ingest.config;

import io.camflow.ingest.source.Transport;
import io.camflow.options.StreamOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The stream settings a stream gets when it does not set them itself ({@code defaults:} in the
 * file).
 */
public record StreamDefaults(
    Transport transport, Mode mode, Duration idleGrace, Duration readTimeout, RetryPolicy backoff) {

  /** What camflow uses when {@code defaults:} does not say either. */
  public static final StreamDefaults BUILT_IN =
      new StreamDefaults(
          Transport.fromYaml(StreamOptions.TRANSPORT.defaultValue()).orElseThrow(),
          Mode.fromYaml(StreamOptions.MODE.defaultValue()).orElseThrow(),
          StreamOptions.IDLE_GRACE.defaultValue(),
          StreamOptions.READ_TIMEOUT.defaultValue(),
          RetryPolicy.DEFAULTS);

  public StreamDefaults {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(mode, "mode");
    StreamOptions.IDLE_GRACE.require(idleGrace);
    StreamOptions.READ_TIMEOUT.require(readTimeout);
    Objects.requireNonNull(backoff, "backoff");
  }
}
