package io.camflow.localprocess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * For tests of what outlives a killed process: runs a command whose parent never reaps it, so that
 * once killed it stays a zombie — as under a supervisor or script that does not wait for its
 * children, the case in which children that poll their parent's pid run on for ever. The parent is
 * a shell that started the command in the background and then exec'd {@code sleep}.
 *
 * <pre>{@code
 * try (UnreapedProcess parent = UnreapedProcess.start(List.of(java, "-cp", cp, "SomeMain"))) {
 *     String line = parent.stdout().readLine();   // what the command prints
 *     parent.kill();                              // SIGKILL; parent.pid() is now a zombie
 * }
 * }</pre>
 */
public final class UnreapedProcess implements AutoCloseable {

  private final Process holder;
  private final long pid;
  private final BufferedReader stdout;

  private UnreapedProcess(Process holder, long pid, BufferedReader stdout) {
    this.holder = holder;
    this.pid = pid;
    this.stdout = stdout;
  }

  /** Starts {@code command}; its stdout is {@link #stdout()}, its stderr this JVM's. */
  public static UnreapedProcess start(List<String> command) {
    List<String> shell =
        new ArrayList<>(
            List.of("/bin/sh", "-c", "\"$@\" </dev/null & echo $!; exec sleep 600", "sh"));
    shell.addAll(command);
    try {
      Process holder =
          new ProcessBuilder(shell).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      String first = stdout.readLine();
      if (first == null) {
        throw new IllegalStateException("/bin/sh did not start " + command);
      }
      return new UnreapedProcess(holder, Long.parseLong(first.strip()), stdout);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public long pid() {
    return pid;
  }

  /** The command's stdout (the holder shell's, which it inherited). */
  public BufferedReader stdout() {
    return stdout;
  }

  /** SIGKILL, and waits until the command is a zombie (at most 5 s). */
  public void kill() throws InterruptedException {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!ProcessStates.hasEnded(pid) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /**
   * Kills what is left of the command and its children, and the holder (which lets the zombie go).
   */
  @Override
  public void close() {
    ProcessHandle.of(pid)
        .ifPresent(
            p -> {
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            });
    holder.destroyForcibly();
  }
}
