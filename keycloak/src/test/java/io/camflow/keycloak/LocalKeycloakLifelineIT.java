package io.camflow.keycloak;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.localprocess.FreePorts;
import io.camflow.localprocess.ProcessStates;
import io.camflow.localprocess.UnreapedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Keycloak server (kc.sh and the server JVM it starts) ends when the JVM that started it is
 * killed with SIGKILL and left unreaped: its watchdog reads end-of-file on its lifeline and stops
 * the server's process group. Killed while the server still starts up, the case of a launcher
 * killed early.
 */
class LocalKeycloakLifelineIT {

  @TempDir Path tmp;

  @Test
  void theServerEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
    int[] ports = FreePorts.find(2);
    Path log = tmp.resolve("keycloak.log");
    String java = ProcessHandle.current().info().command().orElseThrow();
    try (UnreapedProcess parent =
        UnreapedProcess.start(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LocalKeycloak.class.getName(),
                "--port",
                Integer.toString(ports[0]),
                "--management-port",
                Integer.toString(ports[1]),
                "--log",
                log.toString()))) {
      ProcessHandle server = awaitServerJvm(parent.pid(), Duration.ofSeconds(120), log);
      List<ProcessHandle> tree =
          ProcessHandle.of(parent.pid()).orElseThrow().descendants().toList();
      assertTrue(tree.size() >= 3, "kc.sh, the server JVM and the watchdog: " + describe(tree));

      parent.kill();
      assertTrue(ProcessStates.isZombie(parent.pid()), "the killed parent should be left a zombie");
      long t0 = System.nanoTime();
      for (ProcessHandle p : tree) {
        assertTrue(
            ProcessStates.awaitEnded(p.pid(), Duration.ofSeconds(30)),
            "still running 30 s after the JVM that started it was killed: " + describe(List.of(p)));
      }
      System.out.println(
          "Keycloak (server pid "
              + server.pid()
              + ") and its watchdog ended "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms after their parent was killed");
    }
  }

  /** The server JVM (Quarkus' entry point), once kc.sh started it. */
  private static ProcessHandle awaitServerJvm(long parent, Duration timeout, Path log)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> server =
          ProcessHandle.of(parent).stream()
              .flatMap(ProcessHandle::descendants)
              .filter(p -> p.info().commandLine().orElse("").contains("QuarkusEntryPoint"))
              .findFirst();
      if (server.isPresent()) {
        return server.get();
      }
      if (ProcessStates.hasEnded(parent)) {
        fail(
            "LocalKeycloak exited before it started the server:\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no Keycloak server JVM within " + timeout.toSeconds() + " s");
  }

  private static String describe(List<ProcessHandle> processes) {
    StringBuilder out = new StringBuilder();
    for (ProcessHandle p : processes) {
      String command = p.info().commandLine().orElse("?");
      out.append("\n  ")
          .append(p.pid())
          .append(' ')
          .append(command.length() > 120 ? command.substring(0, 120) + "…" : command);
    }
    return out.toString();
  }
}
