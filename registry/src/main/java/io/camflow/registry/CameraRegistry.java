package io.camflow.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current cameras of {@code camflow.cameras}, kept up to date by a {@link TopicFollower}, with
 * listeners told of every change (ingest turns them into stream routes). A record that does not
 * decode is skipped with a warning that quotes nothing of it.
 */
public final class CameraRegistry implements AutoCloseable {

  /**
   * One change: {@code before} null = added, {@code after} null = removed. On the follower thread.
   */
  @FunctionalInterface
  public interface Listener {
    void changed(String id, CameraEntry before, CameraEntry after);
  }

  private static final Logger LOG = LoggerFactory.getLogger(CameraRegistry.class);

  private final Map<String, CameraEntry> cameras = new ConcurrentSkipListMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final TopicFollower follower;

  public CameraRegistry(String bootstrapServers, String clientId) {
    this.follower =
        new TopicFollower(bootstrapServers, RegistryTopic.CAMERAS, clientId, this::record);
  }

  public CameraRegistry listen(Listener l) {
    listeners.add(l);
    return this;
  }

  /** Starts reading from the beginning and waits until the topic's current content is in. */
  public void start(Duration timeout) throws InterruptedException {
    follower.start();
    if (!follower.awaitCaughtUp(timeout)) {
      throw new IllegalStateException(
          RegistryTopic.CAMERAS + " not read within " + timeout.toSeconds() + " s");
    }
  }

  /**
   * Waits until the record at {@code offset} (a {@link RegistryWriter} result) is reflected here.
   */
  public boolean awaitHandled(long offset, Duration timeout) throws InterruptedException {
    return follower.awaitHandled(offset, timeout);
  }

  public Optional<CameraEntry> get(String id) {
    return Optional.ofNullable(cameras.get(id));
  }

  /** Every camera, ordered by id. */
  public List<CameraEntry> all() {
    return List.copyOf(cameras.values());
  }

  private void record(String key, byte[] value) {
    if (key == null) {
      return;
    }
    CameraEntry after = null;
    if (value != null) {
      try {
        after = CameraRecordFormat.decode(value);
      } catch (IllegalArgumentException e) {
        LOG.warn("{}: record for camera key skipped: {}", RegistryTopic.CAMERAS, e.getMessage());
        return;
      }
      if (!after.id().equals(key)) {
        LOG.warn("{}: record skipped, its id differs from its key", RegistryTopic.CAMERAS);
        return;
      }
    }
    CameraEntry before = after == null ? cameras.remove(key) : cameras.put(key, after);
    if (before == null && after == null) {
      return;
    }
    for (Listener l : listeners) {
      try {
        l.changed(key, before, after);
      } catch (RuntimeException e) {
        LOG.warn("camera {}: change not applied: {}", key, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
