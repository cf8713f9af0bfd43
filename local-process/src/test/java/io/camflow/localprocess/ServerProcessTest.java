package io.camflow.localprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServerProcessTest {

  private static Process sleeper() throws Exception {
    return new ProcessBuilder("sleep", "60").start();
  }

  @Test
  void returnsOnceReadyAndStopsOnceOnClose() throws Exception {
    AtomicInteger polls = new AtomicInteger();
    AtomicInteger afterStop = new AtomicInteger();
    ServerProcess server =
        new ServerProcess(
            "the test server",
            sleeper(),
            Duration.ofSeconds(5),
            () -> "",
            afterStop::incrementAndGet);
    server.awaitReady(
        Duration.ofSeconds(10), Duration.ofMillis(10), () -> polls.incrementAndGet() >= 3);
    assertEquals(3, polls.get());
    assertTrue(server.process().isAlive());
    assertFalse(server.isClosed());
    server.close();
    server.close();
    assertFalse(server.process().isAlive());
    assertTrue(server.isClosed());
    assertEquals(1, afterStop.get(), "stopped once");
  }

  @Test
  void aServerThatEndsBeforeItIsReadyIsReportedWithItsLog() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "exit 3").start();
    ServerProcess server =
        new ServerProcess(
            "the test server (port 1)",
            p,
            Duration.ofSeconds(5),
            () -> "--- log (end) ---\naddress already in use");
    ServerExitedException e =
        assertThrows(
            ServerExitedException.class,
            () -> server.awaitReady(Duration.ofSeconds(10), Duration.ofMillis(10), () -> false));
    assertTrue(
        e.getMessage()
            .startsWith("the test server (port 1) exited with code 3 before it was ready"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("address already in use"), e.getMessage());
    assertTrue(server.isClosed());
  }

  @Test
  void aServerNotReadyInTimeIsStoppedAndReportedAsATimeout() throws Exception {
    ServerProcess server =
        new ServerProcess("the test server", sleeper(), Duration.ofSeconds(5), () -> "the log");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> server.awaitReady(Duration.ofMillis(300), Duration.ofMillis(20), () -> false));
    assertFalse(e instanceof ServerExitedException, "a timeout is not worth another try");
    assertEquals("the test server was not ready within 0 s\nthe log", e.getMessage());
    assertTrue(server.isClosed());
    assertFalse(server.process().isAlive());
  }
}
