package io.camflow.ingest.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole of {@code camflow.yaml}, validated: cameras in file order, with every default applied.
 * Built by {@link ConfigLoader}.
 *
 * @param defaults the stream settings streams inherited; kept for streams added later through the
 *     API
 * @param kafkaBootstrapServers {@code host:port[,host:port...]}
 */
public record CamflowConfig(
    List<CameraConfig> cameras,
    Limits limits,
    StreamDefaults defaults,
    String kafkaBootstrapServers) {

  public static final String DEFAULT_KAFKA_BOOTSTRAP_SERVERS = "localhost:9092";

  public CamflowConfig {
    cameras = List.copyOf(cameras);
    Set<String> ids = new HashSet<>();
    for (CameraConfig c : cameras) {
      if (!ids.add(c.id())) {
        throw new IllegalArgumentException("two cameras with id " + c.id());
      }
    }
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
  }

  /**
   * Every stream ingest pulls, cameras and streams in file order; not the published ones ({@link
   * CameraConfig#published()}).
   */
  public List<StreamConfig> streams() {
    return cameras.stream().flatMap(c -> c.streams().stream()).toList();
  }

  /** The pulled stream with key {@code <camera>/<stream>}, e.g. {@code frontdoor/main}. */
  public Optional<StreamConfig> stream(String key) {
    return streams().stream().filter(s -> s.key().equals(key)).findFirst();
  }

  public Optional<CameraConfig> camera(String id) {
    return cameras.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
