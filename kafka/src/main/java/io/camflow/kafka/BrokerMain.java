package io.camflow.kafka;

import io.camflow.localprocess.Lifeline;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * Entry point of the broker JVM that {@link LocalKafka} starts: stops when its {@link Lifeline}
 * (stdin) ends, formats the storage when asked to, then hands over to {@code kafka.Kafka}. Kafka is
 * called reflectively so that camflow-kafka compiles without the broker on its classpath.
 *
 * <p>Arguments: {@code <server.properties> [format <cluster-id>]}.
 */
public final class BrokerMain {

  /** How long the broker may take to stop after its parent is gone before its JVM halts. */
  private static final Duration HALT_AFTER = Duration.ofSeconds(20);

  private BrokerMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length != 1 && !(args.length == 3 && args[1].equals("format"))) {
      System.err.println(
          "usage: BrokerMain <server.properties> [format <cluster-id>] (stdin: the lifeline)");
      System.exit(2);
    }
    // the parent gone, however it ended: Kafka's shutdown hook stops the broker cleanly (~3 s)
    Lifeline.exitWhenStdinEnds("kafka broker", HALT_AFTER);
    String properties = args[0];
    if (args.length == 3) {
      // --ignore-formatted: a directory formatted by an earlier, interrupted start is fine
      int rc =
          (Integer)
              invoke(
                  "kafka.tools.StorageTool",
                  "execute",
                  new Class<?>[] {String[].class, PrintStream.class},
                  new String[] {"format", "-t", args[2], "-c", properties, "--ignore-formatted"},
                  System.out);
      if (rc != 0) {
        System.err.println("camflow: formatting the storage failed (exit code " + rc + ")");
        System.exit(rc);
      }
    }
    invoke(
        "kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {properties});
  }

  private static Object invoke(
      String className, String methodName, Class<?>[] types, Object... args) throws Throwable {
    Method method = Class.forName(className).getMethod(methodName, types);
    try {
      return method.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
