package io.camflow.localprocess;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A local server (Kafka broker, Keycloak) running as this JVM's child process: waited for until it
 * is ready, stopped once — by {@link #close} or, failing that, when this JVM exits — and, under
 * {@code ./camflow up}, run in the foreground. What a launcher knows itself stays with it: how to
 * start the server, how to tell that it is ready, where its log is.
 */
public final class ServerProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Duration stopTimeout;
  private final Supplier<String> logTail;
  private final Runnable afterStop;
  private final Thread stopHook;
  private boolean closed;

  /**
   * @param name the server in messages, e.g. "the local Kafka broker (port 9092)"
   * @param stopTimeout how long {@link #close} waits after SIGTERM before it kills the process tree
   * @param logTail the end of the server's log, for messages about its failures
   * @param afterStop runs once the process tree is stopped (e.g. to release a watchdog)
   */
  public ServerProcess(
      String name,
      Process process,
      Duration stopTimeout,
      Supplier<String> logTail,
      Runnable afterStop) {
    this.name = name;
    this.process = process;
    this.stopTimeout = stopTimeout;
    this.logTail = logTail;
    this.afterStop = afterStop;
    this.stopHook = new Thread(this::close, "camflow-stop-" + process.pid());
    Runtime.getRuntime().addShutdownHook(stopHook);
  }

  public ServerProcess(
      String name, Process process, Duration stopTimeout, Supplier<String> logTail) {
    this(name, process, stopTimeout, logTail, () -> {});
  }

  public Process process() {
    return process;
  }

  /**
   * Polls {@code ready} every {@code poll} until it answers true. A server that never gets ready is
   * stopped before this throws.
   *
   * @throws ServerExitedException when the process ends first; the message carries the log's end
   * @throws IllegalStateException when {@code timeout} passes first, or when interrupted
   */
  public void awaitReady(Duration timeout, Duration poll, BooleanSupplier ready) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new ServerExitedException(
              name
                  + " exited with code "
                  + process.exitValue()
                  + " before it was ready\n"
                  + logTail.get());
        }
        if (ready.getAsBoolean()) {
          return;
        }
        sleep(poll);
      }
      throw new IllegalStateException(
          name + " was not ready within " + timeout.toSeconds() + " s\n" + logTail.get());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * For a launcher's {@code main} ({@code ./camflow up}): waits until the server ends. When it
   * ended on its own rather than by {@link #close} (a signal to this JVM), prints why to stderr and
   * exits this JVM with a failure status, so that the launcher script notices.
   *
   * @param who the launcher, as its messages begin ("camflow kafka")
   */
  public void runInForeground(String who) {
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      close();
      return;
    }
    if (!isClosed()) {
      System.err.println(
          who + ": " + name + " exited on its own with code " + code + "\n" + logTail.get());
      System.exit(code == 0 ? 1 : code);
    }
  }

  /**
   * SIGTERM, after the stop timeout SIGKILL to the process and its descendants, then {@code
   * afterStop}. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (Thread.currentThread() != stopHook) {
        Runtime.getRuntime().removeShutdownHook(stopHook);
      }
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting: the hook runs (or ran) anyway
    }
    ChildProcesses.stop(process, stopTimeout);
    afterStop.run();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  private void sleep(Duration poll) {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }
}
