package io.camflow.ingest.config;

import io.camflow.media.StreamKey;
import io.camflow.options.StreamOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One camera and its streams.
 *
 * @param id {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param streams at least one, names unique, each naming this camera
 * @param dvrRetention how long Kafka keeps this camera's media, i.e. how far back DVR reaches; null
 *     means {@link #DEFAULT_DVR_RETENTION}
 * @param dvrMaxSize the most bytes each of a stream's media and CMAF topics keeps ({@code
 *     dvr.maxSize}); null: bounded by time only
 */
public record CameraConfig(
    String id, List<StreamConfig> streams, Duration dvrRetention, Long dvrMaxSize) {

  public static final Duration DEFAULT_DVR_RETENTION = StreamOptions.DVR_RETENTION.defaultValue();

  public CameraConfig {
    if (!StreamKey.isValidPart(id)) {
      throw new IllegalArgumentException(
          "camera id '" + id + "' must match [a-z0-9][a-z0-9_-]{0,63}");
    }
    streams = List.copyOf(streams);
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("camera " + id + " has no streams");
    }
    Set<String> names = new HashSet<>();
    for (StreamConfig s : streams) {
      if (!s.camera().equals(id)) {
        throw new IllegalArgumentException("stream " + s.key() + " listed under camera " + id);
      }
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("camera " + id + " has two streams named " + s.name());
      }
    }
    dvrRetention =
        StreamOptions.DVR_RETENTION.require(
            dvrRetention == null ? DEFAULT_DVR_RETENTION : dvrRetention);
    if (dvrMaxSize != null) {
      StreamOptions.DVR_MAX_SIZE.require(dvrMaxSize);
    }
  }

  /** A camera without a size bound. */
  public CameraConfig(String id, List<StreamConfig> streams, Duration dvrRetention) {
    this(id, streams, dvrRetention, null);
  }

  public Optional<StreamConfig> stream(String name) {
    return streams.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
