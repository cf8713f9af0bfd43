package io.camflow.ingest.ownership;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;

/**
 * How ingest instances share streams through the {@value GroupOwnership#GROUP} consumer group
 * (docs/configuration.md "Ingest instances"): the ownership topic's partition count — the finest
 * grain of sharing, and the most instances that can own streams — and the group's session timeout,
 * the time after which a silent instance's streams move to the others. Heartbeats go every third of
 * it.
 */
public record OwnershipSettings(int partitions, Duration sessionTimeout) {

  public static final String PARTITIONS_ENV = "CAMFLOW_INGEST_PARTITIONS";
  public static final String SESSION_TIMEOUT_ENV = "CAMFLOW_INGEST_SESSION_TIMEOUT";
  public static final int DEFAULT_PARTITIONS = 24;

  /** The broker's smallest allowed session timeout (group.min.session.timeout.ms) by default. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);

  public static final OwnershipSettings DEFAULTS =
      new OwnershipSettings(DEFAULT_PARTITIONS, DEFAULT_SESSION_TIMEOUT);

  public OwnershipSettings {
    if (partitions < 1 || partitions > 10_000) {
      throw new IllegalArgumentException(PARTITIONS_ENV + " must be 1 to 10000, is " + partitions);
    }
    if (sessionTimeout.toMillis() < 3_000 || sessionTimeout.toMillis() > 1_800_000) {
      throw new IllegalArgumentException(
          SESSION_TIMEOUT_ENV + " must be 3000 to 1800000, is " + sessionTimeout.toMillis());
    }
  }

  public Duration heartbeatInterval() {
    return sessionTimeout.dividedBy(3);
  }

  /** {@code ingest.partitions} and {@code ingest.sessionTimeout}. */
  public static OwnershipSettings from(Settings settings) {
    return new OwnershipSettings(
        settings.get(CamflowOptions.INGEST_PARTITIONS),
        settings.get(CamflowOptions.INGEST_SESSION_TIMEOUT));
  }
}
