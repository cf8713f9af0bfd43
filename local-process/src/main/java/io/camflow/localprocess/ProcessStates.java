package io.camflow.localprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A process's state letter from {@code /proc/<pid>/stat} (Linux): what tests need to tell a process
 * that ended from one that runs. {@link ProcessHandle#isAlive()} cannot: a process that was killed
 * but not yet reaped (a zombie, state {@code Z}) is "alive" to it until its parent waits for it.
 */
public final class ProcessStates {

  private ProcessStates() {}

  /**
   * The state letter ({@code R}, {@code S}, {@code T}, {@code Z}, …), or empty when there is no
   * such process.
   */
  public static Optional<Character> of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'
      return Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // it went while we read
    }
  }

  public static boolean isZombie(long pid) {
    return of(pid).map(s -> s == 'Z').orElse(false);
  }

  /**
   * Ended: no such process any more, or a zombie (it ran its last instruction; only its exit status
   * is left).
   */
  public static boolean hasEnded(long pid) {
    return of(pid).map(s -> s == 'Z').orElse(true);
  }

  /** Waits until {@link #hasEnded} or {@code timeout} passes; returns whether it ended. */
  public static boolean awaitEnded(long pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!hasEnded(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
