package io.camflow.localprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifelineTest {

  @TempDir Path tmp;

  @Test
  void bytesOnTheLifelineAreIgnoredEndOfFileEndsIt() throws Exception {
    PipedOutputStream parent = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(parent);
    CountDownLatch ended = new CountDownLatch(1);
    Thread watcher = Lifeline.watch(stdin, "test", ended::countDown);
    assertTrue(watcher.isDaemon(), "must not keep a JVM from exiting");
    parent.write("anything\n".getBytes(StandardCharsets.US_ASCII));
    parent.flush();
    assertFalse(ended.await(300, TimeUnit.MILLISECONDS), "bytes are not the end");
    parent.close();
    assertTrue(ended.await(5, TimeUnit.SECONDS), "end-of-file is");
  }

  @Test
  void onlyCamflowLifelineStdinTurnsItOn() {
    assertFalse(Lifeline.exitWhenStdinEndsIfAsked(Map.of(), "test", Duration.ofSeconds(1)));
    assertFalse(
        Lifeline.exitWhenStdinEndsIfAsked(
            Map.of("CAMFLOW_LIFELINE", " "), "test", Duration.ofSeconds(1)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Lifeline.exitWhenStdinEndsIfAsked(
                    Map.of("CAMFLOW_LIFELINE", "pid"), "test", Duration.ofSeconds(1)));
    assertEquals("CAMFLOW_LIFELINE must be 'stdin' or unset, was 'pid'", e.getMessage());
  }

  /**
   * The case that defeated watching the parent's pid: the parent is killed and nobody reaps it. Its
   * own parent here is a shell that exec'd {@code sleep}, which never waits, so the killed parent
   * stays a zombie — alive to {@link ProcessHandle#isAlive()} — and the child must end all the
   * same.
   */
  @Test
  void aChildEndsWhenItsParentIsKilledAndLeftAZombie() throws Exception {
    Path childLog = tmp.resolve("child.log");
    try (UnreapedProcess parent =
        UnreapedProcess.start(
            List.of(java(), "-cp", classpath(), Parent.class.getName(), childLog.toString()))) {
      String childLine = parent.stdout().readLine(); // "child <pid>"
      assertTrue(
          childLine != null && childLine.startsWith("child "), "parent JVM said: " + childLine);
      long childPid = Long.parseLong(childLine.substring("child ".length()));

      parent.kill(); // SIGKILL: no shutdown hook, no goodbye
      assertTrue(ProcessStates.isZombie(parent.pid()), "the killed parent should be left a zombie");
      assertTrue(
          ProcessHandle.of(parent.pid()).map(ProcessHandle::isAlive).orElse(false),
          "a zombie looks alive: why polling the parent's pid is not enough");

      long t0 = System.nanoTime();
      assertTrue(
          ProcessStates.awaitEnded(childPid, Duration.ofSeconds(10)),
          "the child is still running 10 s after its parent was killed");
      System.out.printf(
          "child ended %d ms after its parent was killed%n", (System.nanoTime() - t0) / 1_000_000);
      assertTrue(
          Files.readString(childLog).contains("the process that started it is gone"),
          Files.readString(childLog));
    }
  }

  /**
   * Starts {@link Child} with a lifeline, prints its pid, then waits to be killed. (Were it killed
   * before the child watches its stdin, the end-of-file would be waiting for the child all the
   * same.)
   */
  public static final class Parent {
    public static void main(String[] args) throws Exception {
      Process child =
          Lifeline.attach(new ProcessBuilder(java(), "-cp", classpath(), Child.class.getName()))
              .redirectErrorStream(true)
              .redirectOutput(new File(args[0]))
              .start();
      System.out.println("child " + child.pid());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  public static final class Child {
    public static void main(String[] args) throws Exception {
      Lifeline.exitWhenStdinEnds("lifeline test child", Duration.ofSeconds(5));
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This test's classes and the module's: enough for Parent and Child. */
  private static String classpath() throws Exception {
    return Path.of(LifelineTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        + File.pathSeparator
        + Path.of(Lifeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
