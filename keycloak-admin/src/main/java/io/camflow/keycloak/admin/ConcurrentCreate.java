package io.camflow.keycloak.admin;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reading back what a create answered 409 (exists) for. The 409 means a concurrent writer — ingest
 * and delivery set up the same camera at once — is creating the same thing; its transaction, and
 * the invalidation of Keycloak's caches, may not be visible to the next read for a moment, so an
 * empty read is retried briefly.
 */
final class ConcurrentCreate {

  /** How long the other writer's create may take to become visible. */
  static final Duration WINDOW = Duration.ofSeconds(2);

  private static final long PAUSE_MILLIS = 25;

  private ConcurrentCreate() {}

  static <T> Optional<T> readBack(Supplier<Optional<T>> read) {
    long deadline = System.nanoTime() + WINDOW.toNanos();
    while (true) {
      Optional<T> found = read.get();
      if (found.isPresent() || System.nanoTime() - deadline >= 0) {
        return found;
      }
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return found;
      }
    }
  }
}
