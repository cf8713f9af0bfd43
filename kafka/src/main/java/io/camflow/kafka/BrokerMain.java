package io.camflow.kafka;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Entry point of the broker JVM that {@link LocalKafka} starts: watches the parent process, formats
 * the storage when asked to, then hands over to {@code kafka.Kafka}. Kafka is called reflectively so
 * that camflow-kafka compiles without the broker on its classpath.
 *
 * <p>Arguments: {@code <parent-pid> <server.properties> [format <cluster-id>]}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length != 2 && !(args.length == 4 && args[2].equals("format"))) {
            System.err.println("usage: BrokerMain <parent-pid> <server.properties> [format <cluster-id>]");
            System.exit(2);
        }
        watchParent(Long.parseLong(args[0]));
        String properties = args[1];
        if (args.length == 4) {
            // --ignore-formatted: a directory formatted by an earlier, interrupted start is fine
            int rc = (Integer) invoke("kafka.tools.StorageTool", "execute",
                    new Class<?>[] {String[].class, PrintStream.class},
                    new String[] {"format", "-t", args[3], "-c", properties, "--ignore-formatted"}, System.out);
            if (rc != 0) {
                System.err.println("camflow: formatting the storage failed (exit code " + rc + ")");
                System.exit(rc);
            }
        }
        invoke("kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {properties});
    }

    /** Exits this JVM (Kafka's shutdown hook stops the broker cleanly) once the parent process is gone. */
    private static void watchParent(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        Thread watchdog = new Thread(() -> {
            while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("camflow: parent process " + pid + " is gone, stopping the broker");
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException ignored) {
                    // fall through
                }
                System.err.println("camflow: broker shutdown takes too long, halting");
                Runtime.getRuntime().halt(1);
            }, "camflow-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }, "camflow-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static Object invoke(String className, String methodName, Class<?>[] types, Object... args)
            throws Throwable {
        Method method = Class.forName(className).getMethod(methodName, types);
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
