package io.camflow.localprocess;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

/**
 * Ties a child process to the process that started it: the child's stdin is a pipe whose write end
 * only the parent holds, and the parent never writes to it. However the parent ends (exit, crash,
 * SIGKILL), the kernel closes that end and the child reads end-of-file.
 *
 * <p>Why not watch the parent's pid: a parent that was killed but not yet reaped (its own parent
 * does not wait for it) is a zombie, and a zombie still "is alive" to {@link
 * ProcessHandle#isAlive()} and to {@code kill -0} — children that poll it run on indefinitely. A
 * pid can also be reused. End-of-file on a pipe has neither problem.
 *
 * <p>Parent side: {@link #attach} (a Java parent keeps the write end in {@link
 * Process#getOutputStream()} for as long as the child runs, and Java does not pass it on to its
 * other children). Child side: {@link #exitWhenStdinEnds} or, for programs that also run without a
 * parent holding their stdin (the services under Docker get {@code /dev/null}), {@link
 * #exitWhenStdinEndsIfAsked}.
 */
public final class Lifeline {

  /** Set to {@value #STDIN} to make {@link #exitWhenStdinEndsIfAsked} watch stdin. */
  public static final String ENVIRONMENT_VARIABLE = "CAMFLOW_LIFELINE";

  public static final String STDIN = "stdin";

  private Lifeline() {}

  /** Parent side: the child gets a lifeline on its stdin. */
  public static ProcessBuilder attach(ProcessBuilder builder) {
    return builder.redirectInput(ProcessBuilder.Redirect.PIPE);
  }

  /**
   * Child side: once {@code in} reaches end-of-file, calls {@code onEnd} (from a daemon thread,
   * which this returns). Bytes read before are ignored.
   */
  public static Thread watch(InputStream in, String name, Runnable onEnd) {
    Thread watcher =
        new Thread(
            () -> {
              byte[] buffer = new byte[256];
              try {
                while (in.read(buffer) >= 0) {
                  // the parent never writes; whatever comes is not a reason to stop
                }
              } catch (IOException e) {
                // a broken stdin means the same as end-of-file: nobody holds the other end
              }
              onEnd.run();
            },
            name + "-lifeline");
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }

  /**
   * Child side: exits this JVM with status 0 once stdin reaches end-of-file. The shutdown hooks run
   * as on SIGTERM (the program's orderly stop); if they take longer than {@code grace}, the JVM
   * halts.
   *
   * @param who the program, in the line printed to stderr
   */
  public static void exitWhenStdinEnds(String who, Duration grace) {
    exitWhenStdinEnds(who, Duration.ZERO, grace);
  }

  /**
   * As {@link #exitWhenStdinEnds(String, Duration)}, but stops only {@code delay} after the end of
   * stdin: for a server whose clients end with the same parent and should still reach it while they
   * stop.
   */
  public static void exitWhenStdinEnds(String who, Duration delay, Duration grace) {
    watch(
        System.in,
        who,
        () -> {
          System.err.println(
              "camflow: "
                  + who
                  + ": the process that started it is gone (its lifeline, stdin, closed),"
                  + (delay.isZero() ? " stopping" : " stopping in " + delay.toSeconds() + " s"));
          System.err.flush();
          try {
            Thread.sleep(delay.toMillis());
          } catch (InterruptedException e) {
            // stop now
          }
          Thread halt =
              new Thread(
                  () -> {
                    try {
                      Thread.sleep(grace.toMillis());
                    } catch (InterruptedException e) {
                      // halt now
                    }
                    System.err.println(
                        "camflow: "
                            + who
                            + ": stopping takes longer than "
                            + grace.toSeconds()
                            + " s, halting");
                    Runtime.getRuntime().halt(1);
                  },
                  who + "-halt");
          halt.setDaemon(true);
          halt.start();
          System.exit(0);
        });
  }

  /**
   * {@link #exitWhenStdinEnds} when {@code CAMFLOW_LIFELINE=stdin} is set in {@code environment}
   * (what {@code ./camflow up} sets for the processes it starts); nothing when it is not set.
   *
   * @return whether stdin is watched
   * @throws IllegalArgumentException when the variable has another value
   */
  public static boolean exitWhenStdinEndsIfAsked(
      Map<String, String> environment, String who, Duration grace) {
    return exitWhenStdinEndsIfAsked(environment, who, Duration.ZERO, grace);
  }

  /**
   * As {@link #exitWhenStdinEndsIfAsked(Map, String, Duration)}, stopping {@code delay} after the
   * end of stdin.
   */
  public static boolean exitWhenStdinEndsIfAsked(
      Map<String, String> environment, String who, Duration delay, Duration grace) {
    String value = environment.get(ENVIRONMENT_VARIABLE);
    if (value == null || value.isBlank()) {
      return false;
    }
    if (!value.strip().equals(STDIN)) {
      throw new IllegalArgumentException(
          ENVIRONMENT_VARIABLE + " must be '" + STDIN + "' or unset, was '" + value + "'");
    }
    exitWhenStdinEnds(who, delay, grace);
    return true;
  }
}
