package io.camflow.ingest.access;

import io.camflow.keycloak.admin.AdminException;
import io.camflow.keycloak.admin.AdminUnavailableException;
import io.camflow.keycloak.admin.CameraAccess;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every configured camera its permissions in Keycloak (docs/permissions.md): the client roles
 * {@code camera:<id>:live|dvr} and the groups {@code camera-<id>-live|dvr}, so an operator can grant
 * access the moment a camera is added. Runs once in the background, retrying while Keycloak is not
 * reachable (it may start after ingest), and never holds up the streams.
 */
public final class CameraRoles implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CameraRoles.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final CameraAccess access;
  private final Deque<String> pending;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread thread;

  public CameraRoles(CameraAccess access, List<String> cameras) {
    this.access = access;
    this.pending = new ArrayDeque<>(cameras);
    this.thread = new Thread(this::run, "camflow-camera-roles");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Waits until every camera has been handled (tests). */
  public boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    Duration wait = FIRST_RETRY;
    try {
      while (!pending.isEmpty()) {
        String camera = pending.peek();
        try {
          access.ensureCamera(camera);
          LOG.info("camera {}: its roles and groups exist in Keycloak", camera);
          pending.poll();
          wait = FIRST_RETRY;
        } catch (AdminUnavailableException e) {
          LOG.info("Keycloak is not reachable yet for camera roles ({}); retrying in {} s", e.getMessage(), wait.toSeconds());
          Thread.sleep(wait.toMillis());
          wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        } catch (AdminException | IllegalArgumentException e) {
          LOG.warn("camera {}: roles not created in Keycloak: {}", camera, e.getMessage());
          pending.poll();
        }
      }
      done.countDown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    thread.interrupt();
    access.close();
  }
}
