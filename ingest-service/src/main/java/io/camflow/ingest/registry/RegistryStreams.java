package io.camflow.ingest.registry;

import io.camflow.ingest.config.CameraConfig;
import io.camflow.ingest.config.Secret;
import io.camflow.ingest.config.StreamConfig;
import io.camflow.ingest.config.StreamDefaults;
import io.camflow.ingest.source.tls.CameraTls;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.media.StreamKey;
import io.camflow.options.Durations;
import io.camflow.options.StreamOptions;
import io.camflow.registry.CameraEntry;
import io.camflow.registry.SecretBox;
import io.camflow.registry.StreamEntry;
import io.camflow.registry.StreamSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Translates between the registry's camera records and ingest's stream settings, both ways: an API
 * camera's pulled streams become {@link StreamConfig}s (unset settings take the file's {@code
 * defaults:}, the sealed password is opened with {@code CAMFLOW_SECRETS_KEY}); a file camera
 * becomes a record marked {@code file}, without its password (ingest keeps that in its own
 * configuration). Published streams have only their topics here ({@link #topics}).
 */
final class RegistryStreams {

  private RegistryStreams() {}

  /**
   * The streams ingest pulls: not the published ones.
   *
   * @throws IllegalArgumentException when a value does not fit (the API validates, so only a record
   *     written by something else gets here) or a password cannot be opened; the message quotes no
   *     secret
   */
  static List<StreamConfig> streams(CameraEntry c, StreamDefaults d, Optional<SecretBox> secrets) {
    List<StreamConfig> out = new ArrayList<>();
    for (StreamEntry s : c.streams()) {
      if (s.published()) {
        continue;
      }
      String key = c.id() + "/" + s.name();
      Secret password = null;
      if (s.sealedPassword() != null) {
        SecretBox box =
            secrets.orElseThrow(
                () ->
                    new IllegalArgumentException(
                        key
                            + " has a password but CAMFLOW_SECRETS_KEY is not set for ingest (docs/configuration.md)"));
        try {
          password = Secret.of(box.open(s.sealedPassword(), key));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
      }
      StreamSettings settings = s.settings().resolve(d.settings());
      CameraTls tls =
          s.tlsVerify() == null && s.tlsFingerprint() == null
              ? CameraTls.VERIFY
              : new CameraTls(!Boolean.FALSE.equals(s.tlsVerify()), null, s.tlsFingerprint());
      out.add(
          new StreamConfig(
              c.id(),
              s.name(),
              URI.create(s.url()),
              s.username(),
              password,
              settings.transport(),
              settings.mode(),
              settings.idleGrace(),
              settings.readTimeout(),
              d.backoff(),
              tls));
    }
    return out;
  }

  /**
   * The topics of every stream of the camera, pulled and published (a publisher writes the media
   * topic, the packager reads it), with the camera's retention and size bound.
   *
   * @throws IllegalArgumentException when the record's size bound does not fit {@code dvr.maxSize}
   */
  static List<NewTopic> topics(CameraEntry c) {
    Duration retention = dvrRetention(c);
    Long maxSize = dvrMaxSize(c);
    return c.streams().stream()
        .flatMap(
            s ->
                TopicProvisioner.streamTopics(new StreamKey(c.id(), s.name()), retention, maxSize)
                    .stream())
        .toList();
  }

  static Duration dvrRetention(CameraEntry c) {
    return c.dvrRetention() == null
        ? CameraConfig.DEFAULT_DVR_RETENTION
        : Durations.parse(c.dvrRetention());
  }

  /**
   * The camera's size bound in bytes; null when it has none.
   *
   * @throws IllegalArgumentException when the record's bound does not fit {@code dvr.maxSize}
   */
  static Long dvrMaxSize(CameraEntry c) {
    if (c.dvrMaxSize() == null) {
      return null;
    }
    try {
      return StreamOptions.DVR_MAX_SIZE.type().parse(c.dvrMaxSize());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("dvrMaxSize " + e.getMessage());
    }
  }

  /**
   * The registry record of a camera of config/camflow.yaml: every setting resolved, no password;
   * its published streams after the pulled ones.
   */
  static CameraEntry fileEntry(CameraConfig c) {
    List<StreamEntry> streams = new ArrayList<>();
    for (StreamConfig s : c.streams()) {
      streams.add(
          new StreamEntry(
              s.name(),
              s.url().toString(),
              s.username(),
              null,
              s.settings(),
              s.tls().verify() ? null : Boolean.FALSE,
              s.tls().fingerprint()));
    }
    c.published().forEach(name -> streams.add(StreamEntry.published(name)));
    return new CameraEntry(
        c.id(),
        CameraEntry.FILE,
        streams,
        Durations.format(c.dvrRetention()),
        c.dvrMaxSize() == null ? null : StreamOptions.DVR_MAX_SIZE.type().format(c.dvrMaxSize()));
  }
}
