package io.camflow.ingest.registry;

import io.camflow.keycloak.admin.AdminUnavailableException;
import io.camflow.keycloak.admin.CameraAccess;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a camera added through the API its roles and groups in Keycloak (as
 * {@link io.camflow.ingest.access.CameraRoles} does for the file's cameras at start), on its own
 * thread with a few retries, so an admin can grant access to it at once.
 */
public final class NewCameraRoles implements Consumer<String>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NewCameraRoles.class);
  private static final int ATTEMPTS = 5;

  private final CameraAccess access;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "camflow-new-camera-roles");
    t.setDaemon(true);
    return t;
  });

  public NewCameraRoles(CameraAccess access) {
    this.access = access;
  }

  @Override
  public void accept(String camera) {
    executor.execute(() -> {
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          access.ensureCamera(camera);
          LOG.info("camera {}: its roles and groups exist in Keycloak", camera);
          return;
        } catch (AdminUnavailableException e) {
          sleep(1000L << attempt);
        } catch (RuntimeException e) {
          LOG.warn("camera {}: roles not created in Keycloak: {}", camera, e.getMessage());
          return;
        }
      }
      LOG.warn("camera {}: Keycloak not reachable, roles not created", camera);
    });
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    access.close();
  }
}
