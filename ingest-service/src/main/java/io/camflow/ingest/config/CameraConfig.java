package io.camflow.ingest.config;

import io.camflow.media.StreamKey;
import io.camflow.options.StreamOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One camera and its streams: those ingest pulls, and those an encoder publishes into delivery
 * ({@code source: publish}), which ingest only gives their topics.
 *
 * @param id {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param streams the streams ingest pulls, each naming this camera
 * @param published the names of the published streams; with {@code streams} at least one, every
 *     name once
 * @param dvrRetention how long Kafka keeps this camera's media, i.e. how far back DVR reaches; null
 *     means {@link #DEFAULT_DVR_RETENTION}
 * @param dvrMaxSize the most bytes each of a stream's media and CMAF topics keeps ({@code
 *     dvr.maxSize}); null: bounded by time only
 */
public record CameraConfig(
    String id,
    List<StreamConfig> streams,
    List<String> published,
    Duration dvrRetention,
    Long dvrMaxSize) {

  public static final Duration DEFAULT_DVR_RETENTION = StreamOptions.DVR_RETENTION.defaultValue();

  public CameraConfig {
    if (!StreamKey.isValidPart(id)) {
      throw new IllegalArgumentException(
          "camera id '" + id + "' must match [a-z0-9][a-z0-9_-]{0,63}");
    }
    streams = List.copyOf(streams);
    published = List.copyOf(published);
    if (streams.isEmpty() && published.isEmpty()) {
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
    for (String name : published) {
      if (!StreamKey.isValidPart(name)) {
        throw new IllegalArgumentException(
            "stream name '" + name + "' must match [a-z0-9][a-z0-9_-]{0,63}");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("camera " + id + " has two streams named " + name);
      }
    }
    dvrRetention =
        StreamOptions.DVR_RETENTION.require(
            dvrRetention == null ? DEFAULT_DVR_RETENTION : dvrRetention);
    if (dvrMaxSize != null) {
      StreamOptions.DVR_MAX_SIZE.require(dvrMaxSize);
    }
  }

  /** A camera whose streams are all pulled. */
  public CameraConfig(
      String id, List<StreamConfig> streams, Duration dvrRetention, Long dvrMaxSize) {
    this(id, streams, List.of(), dvrRetention, dvrMaxSize);
  }

  /** A camera whose streams are all pulled, without a size bound. */
  public CameraConfig(String id, List<StreamConfig> streams, Duration dvrRetention) {
    this(id, streams, List.of(), dvrRetention, null);
  }

  /** A pulled stream of this camera. */
  public Optional<StreamConfig> stream(String name) {
    return streams.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Every stream of the camera, pulled and published: each has its topics. */
  public List<StreamKey> streamKeys() {
    return Stream.concat(
            streams.stream().map(StreamConfig::streamKey),
            published.stream().map(name -> new StreamKey(id, name)))
        .toList();
  }
}
