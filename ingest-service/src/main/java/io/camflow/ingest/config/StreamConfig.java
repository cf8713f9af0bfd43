package io.camflow.ingest.config;

import io.camflow.media.StreamKey;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One stream of one camera, with every setting resolved (defaults applied, environment references
 * replaced).
 *
 * @param camera the camera id, {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param name the stream name, same pattern
 * @param url {@code rtsp://}, {@code rtsps://} or {@code synthetic:}; never carries credentials
 * @param username null when the camera needs none
 * @param password null when the camera needs none; never set without {@code username}
 * @param idleGrace how long an on-demand stream stays pulled after its last viewer left
 * @param readTimeout how long a pulled stream may deliver nothing before it counts as lost
 */
public record StreamConfig(String camera, String name, URI url, String username, Secret password,
    Transport transport, Mode mode, Duration idleGrace, Duration readTimeout, Backoff backoff) {

  public static final Set<String> SCHEMES = Set.of("rtsp", "rtsps", "synthetic");

  static final DurationRange IDLE_GRACE = new DurationRange(Duration.ZERO, Duration.ofDays(1));
  static final DurationRange READ_TIMEOUT = new DurationRange(Duration.ofMillis(100), Duration.ofMinutes(10));

  public StreamConfig {
    StreamKey key = new StreamKey(camera, name);
    Objects.requireNonNull(url, key + ": url");
    if (url.getScheme() == null || !SCHEMES.contains(url.getScheme())) {
      throw new IllegalArgumentException(key + ": url scheme must be rtsp, rtsps or synthetic");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(key + ": url must not carry credentials; use username/password");
    }
    if (password != null && username == null) {
      throw new IllegalArgumentException(key + ": password without username");
    }
    Objects.requireNonNull(transport, key + ": transport");
    Objects.requireNonNull(mode, key + ": mode");
    IDLE_GRACE.require(key + ": idleGrace", idleGrace);
    READ_TIMEOUT.require(key + ": readTimeout", readTimeout);
    Objects.requireNonNull(backoff, key + ": backoff");
  }

  /** {@code <camera>/<stream>}, e.g. {@code frontdoor/main}: the name in URLs and the API. */
  public String key() {
    return camera + "/" + name;
  }

  public StreamKey streamKey() {
    return new StreamKey(camera, name);
  }

  /** {@code camflow.media.<camera>.<stream>}: the Kafka topic of this stream's access units. */
  public String topic() {
    return streamKey().mediaTopic();
  }
}
