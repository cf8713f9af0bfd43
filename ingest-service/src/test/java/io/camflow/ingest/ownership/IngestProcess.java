package io.camflow.ingest.ownership;

import io.camflow.localprocess.ChildProcesses;
import io.camflow.localprocess.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One ingest-service as a child JVM ({@code io.camflow.ingest.IngestMain}), as an operator runs it:
 * its own instance id, metrics port and log file, the shared configuration file and routes.
 */
public final class IngestProcess implements AutoCloseable {

  private static final Path ROUTES = Path.of("..", "routes").toAbsolutePath().normalize();

  private final String instanceId;
  private final Path log;
  private final Process process;
  private final int metricsPort;

  private IngestProcess(String instanceId, Path log, Process process, int metricsPort) {
    this.instanceId = instanceId;
    this.log = log;
    this.process = process;
    this.metricsPort = metricsPort;
  }

  /**
   * @param env more environment (e.g. {@code CAMFLOW_INGEST_PARTITIONS})
   */
  public static IngestProcess start(
      String instanceId, Path config, Path workDir, Map<String, String> env) throws IOException {
    Path log = workDir.resolve("ingest-" + instanceId + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                // the main logging setup, not the tests' (which writes to a file the tests' JVM
                // owns)
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp",
                classpath(),
                "io.camflow.ingest.IngestMain")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("CAMFLOW_CONFIG", config.toString());
    pb.environment().put("CAMFLOW_ROUTES", ROUTES.toString());
    pb.environment().put("CAMFLOW_INSTANCE_ID", instanceId);
    int metricsPort = FreePorts.find();
    pb.environment().put("CAMFLOW_METRICS_PORT", Integer.toString(metricsPort));
    pb.environment().putAll(env);
    Process process = pb.start();
    // not outliving the test or benchmark JVM (a SIGKILL of that JVM still leaves it running)
    Runtime.getRuntime()
        .addShutdownHook(new Thread(process::destroyForcibly, "ingest-" + instanceId + "-stop"));
    return new IngestProcess(instanceId, log, process, metricsPort);
  }

  /** The test's own class path: failsafe hides it behind a manifest-only jar and names it here. */
  private static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  public String instanceId() {
    return instanceId;
  }

  public Process process() {
    return process;
  }

  /** SIGKILL: the instance vanishes without leaving the group or stopping anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** A gauge's value from its Prometheus endpoint (the first sample named {@code name}). */
  public double metric(String name) throws IOException, InterruptedException {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      String body =
          http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      return body.lines()
          .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
          .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(name + " not exported by " + instanceId));
    }
  }

  /** The last lines of its log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      ChildProcesses.stop(process, Duration.ofSeconds(20));
    }
  }
}
