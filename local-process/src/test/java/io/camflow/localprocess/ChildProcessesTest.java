package io.camflow.localprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertTrue(
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3_000,
        "no wait for the timeout");
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheTimeout() throws Exception {
    Process p =
        new ProcessBuilder("sh", "-c", "trap '' TERM; while true; do sleep 0.1; done").start();
    Thread.sleep(200); // let the shell install its trap
    ChildProcesses.stop(p, Duration.ofMillis(500));
    assertFalse(p.isAlive());
  }

  @Test
  void theChildrenOfALauncherScriptGoToo() throws Exception {
    // a launcher that starts a child which ignores SIGTERM, like kc.sh starting the server JVM
    Process p =
        new ProcessBuilder(
                "sh", "-c", "sh -c \"trap '' TERM; while true; do sleep 0.1; done\" & wait")
            .start();
    Thread.sleep(300);
    List<ProcessHandle> children = p.descendants().toList();
    assertFalse(children.isEmpty());
    ChildProcesses.stop(p, Duration.ofMillis(500));
    assertFalse(p.isAlive());
    for (ProcessHandle c : children) {
      assertTrue(
          ProcessStates.awaitEnded(c.pid(), Duration.ofSeconds(2)),
          "descendant " + c.pid() + " left running");
    }
  }

  @Test
  void freePortsAreDistinct() {
    int[] ports = FreePorts.find(3);
    assertEquals(3, Arrays.stream(ports).distinct().count());
    assertTrue(FreePorts.find() > 0);
  }
}
