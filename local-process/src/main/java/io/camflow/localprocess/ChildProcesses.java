package io.camflow.localprocess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stopping a server camflow started as a child process, together with the processes it started. */
public final class ChildProcesses {

  private ChildProcesses() {}

  /**
   * SIGTERM (a clean shutdown), then waits up to {@code timeout} for the process and its
   * descendants, then SIGKILL for whatever is left. The descendants are remembered first: a
   * launcher script that exits re-parents its children out of reach.
   */
  public static void stop(Process process, Duration timeout) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (ProcessHandle p : tree) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          try {
            p.onExit().get(left, TimeUnit.NANOSECONDS);
          } catch (ExecutionException | TimeoutException e) {
            // killed below
          }
        }
      }
      long left = Math.max(1, deadline - System.nanoTime());
      if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
        process.destroyForcibly();
      }
      tree.forEach(ProcessHandle::destroyForcibly);
      process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      tree.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
