package io.camflow.delivery.live;

import io.camflow.delivery.mse.MseSettings;
import io.camflow.media.hls.PartSchedule;
import java.time.Duration;
import java.util.Objects;

/**
 * How live streams are consumed and kept.
 *
 * @param bootstrapServers Kafka
 * @param partTarget the part target a stream's playlist assumes until the packager's init record
 *     says its own (inits carry it since the packager writes it; older topics' inits do not)
 * @param segmentTarget likewise, the segment target
 * @param startSegments complete segments a new window starts with (from Kafka, the GOP cache)
 * @param startWait how long the first playlist request of a starting stream waits for its init
 * @param idleStop how long a stream without requests keeps its consumer
 * @param mse WebSocket/MSE viewer limits and bounds (docs/mse.md)
 */
public record DeliverySettings(
    String bootstrapServers,
    Duration partTarget,
    Duration segmentTarget,
    int startSegments,
    Duration startWait,
    Duration idleStop,
    MseSettings mse) {

  /** With the default MSE settings. */
  public DeliverySettings(
      String bootstrapServers,
      Duration partTarget,
      Duration segmentTarget,
      int startSegments,
      Duration startWait,
      Duration idleStop) {
    this(
        bootstrapServers,
        partTarget,
        segmentTarget,
        startSegments,
        startWait,
        idleStop,
        MseSettings.defaults());
  }

  public DeliverySettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(mse, "mse");
    new PartSchedule(partTarget, segmentTarget); // validates both, with clear messages
    if (startSegments < 1 || startSegments > 6) {
      throw new IllegalArgumentException("start segments must be 1..6, was " + startSegments);
    }
    if (startWait.isNegative() || idleStop.isNegative() || idleStop.isZero()) {
      throw new IllegalArgumentException("start wait and idle stop must be positive");
    }
  }

  public static DeliverySettings defaults(String bootstrapServers) {
    return new DeliverySettings(
        bootstrapServers,
        PartSchedule.DEFAULT_PART_TARGET,
        PartSchedule.DEFAULT_SEGMENT_TARGET,
        3,
        Duration.ofSeconds(10),
        Duration.ofSeconds(30));
  }

  /** These settings with other MSE settings. */
  public DeliverySettings withMse(MseSettings mse) {
    return new DeliverySettings(
        bootstrapServers, partTarget, segmentTarget, startSegments, startWait, idleStop, mse);
  }
}
