package io.camflow.localprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {

  @Test
  void aProcessThatHonoursSigtermStopsCleanly() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    long start = System.nanoTime();
    ChildProcesses.stop(p, Duration.ofSeconds(5));
    assertFalse(p.isAlive());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3_000, "no wait for the timeout");
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheTimeout() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").start();
    Thread.sleep(200); // let the shell install its trap
    ChildProcesses.stop(p, Duration.ofMillis(500));
    assertFalse(p.isAlive());
  }

  @Test
  void theChildrenOfALauncherScriptGoToo() throws Exception {
    // a launcher that starts a child which ignores SIGTERM, like kc.sh starting the server JVM
    Process p = new ProcessBuilder("sh", "-c", "sh -c \"trap '' TERM; while true; do sleep 0.1; done\" & wait")
        .start();
    Thread.sleep(300);
    List<ProcessHandle> children = p.descendants().toList();
    assertFalse(children.isEmpty());
    ChildProcesses.stop(p, Duration.ofMillis(500));
    assertFalse(p.isAlive());
    for (ProcessHandle c : children) {
      assertTrue(gone(c.pid(), Duration.ofSeconds(2)), "descendant " + c.pid() + " left running");
    }
  }

  /**
   * Gone = no longer in /proc, or a zombie: a killed orphan is re-parented to pid 1, and an init
   * that does not reap (as in some containers) leaves it a zombie, which ProcessHandle still calls
   * alive. SIGKILL is asynchronous, so this waits a moment.
   */
  private static boolean gone(long pid, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Path stat = Path.of("/proc", Long.toString(pid), "stat");
      if (!Files.exists(stat)) {
        return true;
      }
      String s = Files.readString(stat);
      if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void freePortsAreDistinct() {
    int[] ports = FreePorts.find(3);
    assertEquals(3, Arrays.stream(ports).distinct().count());
    assertTrue(FreePorts.find() > 0);
  }
}
