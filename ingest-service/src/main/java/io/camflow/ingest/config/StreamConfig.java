package io.camflow.ingest.config;

import io.camflow.ingest.source.tls.CameraTls;
import io.camflow.media.StreamKey;
import io.camflow.options.StreamOptions;
import io.camflow.registry.PullMode;
import io.camflow.registry.StreamSettings;
import io.camflow.registry.StreamUrl;
import io.camflow.registry.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

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
 * @param tls how an {@code rtsps://} camera's certificate is checked; {@link CameraTls#VERIFY} for
 *     other URLs
 */
public record StreamConfig(
    String camera,
    String name,
    URI url,
    String username,
    Secret password,
    Transport transport,
    PullMode mode,
    Duration idleGrace,
    Duration readTimeout,
    RetryPolicy backoff,
    CameraTls tls) {

  public StreamConfig {
    StreamKey key = new StreamKey(camera, name);
    Objects.requireNonNull(url, key + ": url");
    if (url.getScheme() == null || !StreamUrl.SCHEMES.contains(url.getScheme())) {
      throw new IllegalArgumentException(key + ": url scheme must be rtsp, rtsps or synthetic");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          key + ": url must not carry credentials; use username/password");
    }
    if (password != null && username == null) {
      throw new IllegalArgumentException(key + ": password without username");
    }
    Objects.requireNonNull(transport, key + ": transport");
    Objects.requireNonNull(mode, key + ": mode");
    StreamOptions.IDLE_GRACE.require(idleGrace);
    StreamOptions.READ_TIMEOUT.require(readTimeout);
    Objects.requireNonNull(backoff, key + ": backoff");
    Objects.requireNonNull(tls, key + ": tls");
    if (!tls.equals(CameraTls.VERIFY) && !"rtsps".equals(url.getScheme())) {
      throw new IllegalArgumentException(
          key + ": tlsVerify, tlsCaFile and tlsFingerprint apply to rtsps:// URLs only");
    }
  }

  /** A stream whose certificate, if it is an {@code rtsps://} camera, is verified fully. */
  public StreamConfig(
      String camera,
      String name,
      URI url,
      String username,
      Secret password,
      Transport transport,
      PullMode mode,
      Duration idleGrace,
      Duration readTimeout,
      RetryPolicy backoff) {
    this(
        camera,
        name,
        url,
        username,
        password,
        transport,
        mode,
        idleGrace,
        readTimeout,
        backoff,
        CameraTls.VERIFY);
  }

  /** Transport, mode, idleGrace and readTimeout, as the registry's model holds them (all set). */
  public StreamSettings settings() {
    return new StreamSettings(transport, mode, idleGrace, readTimeout);
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
