package io.camflow.ingest.registry;

import io.camflow.ingest.IngestService;
import io.camflow.ingest.config.CameraConfig;
import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.config.StreamConfig;
import io.camflow.ingest.topics.TopicProvisioner;
import io.camflow.registry.CameraEntry;
import io.camflow.registry.CameraRegistry;
import io.camflow.registry.RegistryWriter;
import io.camflow.registry.SecretBox;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ingest's stream routes in line with the registry topic {@code camflow.cameras} while it
 * runs: reads it from the beginning on start, then follows it, adding, replacing and removing the
 * routes of cameras added through the API (docs/configuration.md "Cameras from the API"). Cameras
 * of config/camflow.yaml stay the file's: they are published into the registry marked {@code file}
 * (without passwords) and records for their ids are ignored.
 *
 * <p>A new API camera gets its media and CMAF topics and, when a Keycloak admin client is
 * configured, its roles and groups. A change replaces only the streams whose settings changed.
 * Published streams get their topics and no route: an encoder sends them to delivery.
 */
public final class RegistrySync implements CameraRegistry.Listener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistrySync.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final IngestService service;
  private final CamflowConfig config;
  private final Optional<SecretBox> secrets;
  private final Consumer<String> newCamera;
  private final CameraRegistry registry;

  /** The streams of API cameras this instance runs: camera id → stream name → settings. */
  private final Map<String, Map<String, StreamConfig>> running = new HashMap<>();

  /**
   * @param secrets opens API cameras' passwords; empty when {@code CAMFLOW_SECRETS_KEY} is unset
   *     (then cameras with a password are not pulled, with a warning)
   * @param newCamera told the id of every API camera this instance has not run before (Keycloak
   *     roles)
   */
  public RegistrySync(
      IngestService service, Optional<SecretBox> secrets, Consumer<String> newCamera) {
    this.service = service;
    this.config = service.config();
    this.secrets = secrets;
    this.newCamera = newCamera;
    this.registry =
        new CameraRegistry(
            config.kafkaBootstrapServers(), "camflow-ingest-registry-" + service.instanceId());
    registry.listen(this);
  }

  /**
   * The sync as {@code IngestMain} runs it: {@code CAMFLOW_SECRETS_KEY} opens passwords.
   *
   * @param newCamera told the id of every API camera this instance has not run before (Keycloak
   *     roles)
   * @throws IllegalArgumentException when a setting is malformed
   */
  public static RegistrySync from(
      IngestService service, io.camflow.options.Settings settings, Consumer<String> newCamera) {
    Optional<SecretBox> secrets = SecretBox.from(settings);
    RegistrySync sync = new RegistrySync(service, secrets, newCamera);
    if (secrets.isEmpty()) {
      LOG.info(
          "{} is not set: cameras added through the API with a password will not be pulled",
          SecretBox.ENV);
    }
    return sync;
  }

  /**
   * After {@link IngestService#started()}: reads the registry, runs its API cameras, publishes the
   * file's.
   */
  public void start() throws InterruptedException {
    registry.start(START_TIMEOUT);
    publishFileCameras();
  }

  private void publishFileCameras() {
    try (RegistryWriter writer =
        new RegistryWriter(
            config.kafkaBootstrapServers(),
            "camflow-ingest-registry-writer-" + service.instanceId())) {
      for (CameraConfig c : config.cameras()) {
        CameraEntry entry = RegistryStreams.fileEntry(c);
        if (!registry.get(c.id()).equals(Optional.of(entry))) {
          writer.put(entry);
        }
      }
      for (CameraEntry e : registry.all()) {
        if (e.fromFile() && config.camera(e.id()).isEmpty()) {
          writer.remove(e.id()); // removed from the file since it was published
          LOG.info(
              "camera {}: no longer in the configuration file, removed from the registry", e.id());
        }
      }
    }
  }

  @Override
  public synchronized void changed(String id, CameraEntry before, CameraEntry after) {
    if (config.camera(id).isPresent()) {
      if (after != null && !after.fromFile()) {
        LOG.warn(
            "camera {}: is managed by the configuration file; the registry's API record is ignored",
            id);
      }
      return;
    }
    try {
      if (after == null || after.fromFile()) {
        stop(id);
      } else {
        run(after);
      }
    } catch (Exception e) {
      LOG.warn("camera {}: registry change not applied: {}", id, e.getMessage());
    }
  }

  private void run(CameraEntry camera) throws Exception {
    List<StreamConfig> wanted;
    try {
      wanted = RegistryStreams.streams(camera, config.defaults(), secrets);
    } catch (IllegalArgumentException e) {
      LOG.warn("camera {}: not pulled: {}", camera.id(), e.getMessage());
      stop(camera.id());
      return;
    }
    try (TopicProvisioner provisioner = new TopicProvisioner(config.kafkaBootstrapServers())) {
      provisioner.ensure(RegistryStreams.topics(camera), Duration.ofSeconds(30));
    }
    Map<String, StreamConfig> current = running.get(camera.id());
    if (current == null) {
      current = new LinkedHashMap<>();
      running.put(camera.id(), current);
      newCamera.accept(camera.id());
    }
    Map<String, StreamConfig> next = new LinkedHashMap<>();
    for (StreamConfig s : wanted) {
      next.put(s.name(), s);
      if (!s.equals(current.get(s.name()))) {
        service.putStream(s);
        LOG.info(
            "stream {}: {} from the registry",
            s.key(),
            current.containsKey(s.name()) ? "changed" : "added");
      }
    }
    for (String name : current.keySet()) {
      if (!next.containsKey(name)) {
        service.removeStream(camera.id() + "/" + name);
        LOG.info("stream {}/{}: removed from the registry", camera.id(), name);
      }
    }
    running.put(camera.id(), next);
  }

  private void stop(String id) throws Exception {
    Map<String, StreamConfig> current = running.remove(id);
    if (current == null) {
      return;
    }
    for (StreamConfig s : current.values()) {
      service.removeStream(s.key());
    }
    LOG.info("camera {}: removed from the registry, its streams stopped", id);
  }

  /** The registry as this instance sees it (tests). */
  public CameraRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    registry.close();
  }
}
