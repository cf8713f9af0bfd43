package io.camflow.localprocess;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one server of a kind that everything in a test JVM shares: started on first use, started once
 * more when it exits at once (a free port taken meanwhile, {@link ServerExitedException}), and not
 * tried again in this JVM after it failed — every later test fails at once with the first failure
 * as its cause.
 *
 * @param <T> the server
 */
public final class SharedServer<T> {

  private static final int ATTEMPTS = 2;

  private final String name;
  private final Supplier<T> start;
  private final Predicate<T> running;
  private T server;
  private RuntimeException failure;

  /**
   * @param name the server in messages, e.g. "the shared local Kafka broker"
   * @param start starts one on free ports, stopped when the JVM exits
   * @param running whether a server started earlier still runs (else another is started)
   */
  public SharedServer(String name, Supplier<T> start, Predicate<T> running) {
    this.name = name;
    this.start = start;
    this.running = running;
  }

  public synchronized T get() {
    if (server != null && running.test(server)) {
      return server;
    }
    if (failure != null) {
      throw new IllegalStateException(name + " failed to start earlier", failure);
    }
    RuntimeException failed = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        server = start.get();
        return server;
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
        if (!(e instanceof ServerExitedException)) {
          break; // a timeout would only repeat itself
        }
      }
    }
    failure = failed;
    throw failed;
  }
}
