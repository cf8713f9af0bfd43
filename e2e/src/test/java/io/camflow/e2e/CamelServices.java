package io.camflow.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The camflow services an end-to-end test runs in its own JVM — ingest, packager, delivery — each
 * in a Camel context of its own, as each runs in a process of its own in production; closed in the
 * reverse order of their start (delivery first, ingest last), context then service.
 */
public final class CamelServices implements AutoCloseable {

  /** How a service puts itself into its context (its {@code configure} method). */
  public interface Configure {
    void into(CamelContext ctx) throws Exception;
  }

  private record Started(CamelContext context, AutoCloseable service) {}

  private final List<Started> started = new ArrayList<>();

  /** Configures {@code service} into a new context and starts it; returns the service. */
  public synchronized <T extends AutoCloseable> T start(Configure configure, T service)
      throws Exception {
    CamelContext ctx = new DefaultCamelContext();
    configure.into(ctx);
    ctx.start();
    started.add(new Started(ctx, service));
    return service;
  }

  /** The context {@code service} was started in. */
  public synchronized CamelContext contextOf(AutoCloseable service) {
    return started.stream()
        .filter(s -> s.service() == service)
        .map(Started::context)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not started here: " + service));
  }

  /**
   * Something without a context of its own to close with the services (in the same reverse order).
   */
  public synchronized <T extends AutoCloseable> T add(T service) {
    started.add(new Started(null, service));
    return service;
  }

  @Override
  public synchronized void close() throws Exception {
    Exception first = null;
    for (int i = started.size() - 1; i >= 0; i--) {
      Started s = started.get(i);
      try {
        if (s.context() != null) {
          s.context().stop();
        }
        s.service().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    started.clear();
    if (first != null) {
      throw first;
    }
  }

  /**
   * Polls {@code condition} every 200 ms; fails naming {@code what} when it is not true within
   * {@code timeout}.
   */
  public static void await(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(200);
    }
  }
}
