package io.camflow.ingest.access;

import io.camflow.keycloak.admin.AdminEnvironment;
import io.camflow.keycloak.admin.AdminSettings;
import io.camflow.keycloak.admin.AdminUnavailableException;
import io.camflow.keycloak.admin.CameraAccess;
import io.camflow.options.Settings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives cameras their permissions in Keycloak (docs/permissions.md): the client roles {@code
 * camera:<id>:live|dvr|publish} and the groups {@code camera-<id>-live|dvr|publish}, so an operator
 * can grant access the moment a camera is added — the configuration file's cameras at start, the
 * API's when the registry brings them. A camera provisioned before an action existed gets that
 * action's role and group at the next start. One background thread takes them in order, retrying
 * while Keycloak is not reachable (it may start after ingest), and never holds up the streams.
 */
public final class CameraRoles implements Consumer<String>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CameraRoles.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final CameraAccess access;
  private final Deque<String> pending =
      new ArrayDeque<>(); // guarded by this; the head is being handled
  private final Thread thread;

  public CameraRoles(CameraAccess access) {
    this.access = access;
    this.thread = new Thread(this::run, "camflow-camera-roles");
    thread.setDaemon(true);
  }

  /**
   * The roles as {@code IngestMain} runs them: the admin client of the {@code keycloak.*} options,
   * creating what is missing when the provisioner is configured (without it a camera is only
   * checked); empty without an admin client.
   *
   * @throws IllegalArgumentException when a setting is malformed
   */
  public static Optional<CameraRoles> from(Settings settings) {
    AdminSettings provisioner = AdminEnvironment.readProvisioner(settings).orElse(null);
    return AdminEnvironment.read(settings)
        .map(admin -> new CameraRoles(new CameraAccess(admin, provisioner)));
  }

  /** Queues a camera; handled after those queued before it. */
  @Override
  public synchronized void accept(String camera) {
    pending.add(camera);
    notifyAll();
  }

  public void start() {
    thread.start();
  }

  /** Waits until every camera queued so far has been handled (tests). */
  public synchronized boolean awaitDone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private void run() {
    Duration wait = FIRST_RETRY;
    try {
      while (true) {
        String camera = next();
        try {
          access.ensureCamera(camera);
          LOG.info("camera {}: its roles and groups exist in Keycloak", camera);
          handled();
          wait = FIRST_RETRY;
        } catch (AdminUnavailableException e) {
          LOG.info(
              "Keycloak is not reachable yet for camera roles ({}); retrying in {} s",
              e.getMessage(),
              wait.toSeconds());
          Thread.sleep(wait.toMillis());
          wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        } catch (RuntimeException e) { // one camera's failure must not stop the others'
          LOG.warn("camera {}: roles not created in Keycloak: {}", camera, e.getMessage());
          handled();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized String next() throws InterruptedException {
    while (pending.isEmpty()) {
      wait();
    }
    return pending.peek();
  }

  private synchronized void handled() {
    pending.poll();
    notifyAll();
  }

  @Override
  public void close() {
    thread.interrupt();
    access.close();
  }
}
