package io.camflow.kafka;

import io.camflow.localprocess.FreePorts;
import io.camflow.localprocess.Lifeline;
import io.camflow.localprocess.ServerProcess;
import io.camflow.localprocess.SharedServer;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Kafka broker (KRaft, one node that is broker and controller) in its own JVM, for {@code
 * ./camflow up} and for integration tests — no Docker.
 *
 * <p>The broker JVM runs the same {@code java} as this JVM with the classpath Maven recorded at
 * build time ({@code io/camflow/kafka/broker.classpath}), so camflow-kafka itself needs neither the
 * broker nor kafka-clients at run time. The configuration is rendered from {@code
 * io/camflow/kafka/server.properties} into the data directory on every start; the storage is
 * formatted on the first start only and the cluster id kept in {@code <data>/cluster.id}, so a
 * restart on the same directory keeps every topic. The broker JVM's stdin is a {@link Lifeline}
 * from this JVM: it stops when this JVM ends, however it ends ({@code kill -9} included).
 *
 * <pre>{@code
 * LocalKafka kafka = LocalKafka.shared();          // one broker per test JVM, stopped at exit
 * props.put("bootstrap.servers", kafka.bootstrapServers());
 * }</pre>
 */
public final class LocalKafka implements AutoCloseable {

  /** How long {@link #start} waits for the broker to serve. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** How long {@link #close} waits after SIGTERM before it kills the broker. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * How long {@link #main} keeps the broker after its lifeline ended: the services stop meanwhile
   * (~3 s).
   */
  static final Duration SERVICES_STOP = Duration.ofSeconds(5);

  /** Address the broker binds and advertises. */
  public static final String HOST = "127.0.0.1";

  static final String READY_LOG_LINE = "Kafka Server started";
  private static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-Djava.awt.headless=true");

  /**
   * Brokers of {@link #start}/{@link #shared} live for a test run: the C1 compiler alone and the
   * serial collector bring them up about a third faster on two busy cores. {@link #main} (./camflow
   * up) keeps the JVM's server defaults.
   */
  private static final List<String> QUICK_START_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static final SharedServer<LocalKafka> SHARED =
      new SharedServer<>(
          "the shared local Kafka broker", LocalKafka::startShared, k -> k.process.isAlive());

  private final BrokerFiles files;
  private final int port;
  private final int controllerPort;
  private final ServerProcess server;
  private final Process process;
  private Duration startupTime = Duration.ZERO;

  private LocalKafka(BrokerFiles files, int port, int controllerPort, Process process) {
    this.files = files;
    this.port = port;
    this.controllerPort = controllerPort;
    this.process = process;
    this.server =
        new ServerProcess(
            "the local Kafka broker ("
                + files.dataDir
                + ", port "
                + port
                + ", controller port "
                + controllerPort
                + ")",
            process,
            STOP_TIMEOUT,
            this::logTails);
  }

  /**
   * Starts a broker on {@code dataDir} (created if needed, reused if it holds an earlier broker's
   * data) and returns once it serves requests on {@code 127.0.0.1:port}.
   *
   * @throws IllegalStateException when the broker exits or does not serve within {@link
   *     #START_TIMEOUT}; the message carries the end of its logs
   */
  public static LocalKafka start(Path dataDir, int port, int controllerPort) {
    return start(dataDir, port, controllerPort, Map.of());
  }

  /**
   * As {@link #start(Path, int, int)}, with broker properties that replace or add to the
   * template's.
   */
  public static LocalKafka start(
      Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
    return start(dataDir, port, controllerPort, overrides, QUICK_START_OPTIONS);
  }

  private static LocalKafka start(
      Path dataDir,
      int port,
      int controllerPort,
      Map<String, String> overrides,
      List<String> jvmOptions) {
    if (port == controllerPort) {
      throw new IllegalArgumentException("port and controller port must differ: " + port);
    }
    BrokerFiles files = new BrokerFiles(dataDir);
    long t0 = System.nanoTime();
    Process process;
    long logStart;
    try {
      files.write(HOST, port, controllerPort, overrides);
      logStart = Files.exists(files.serverLog()) ? Files.size(files.serverLog()) : 0;
      List<String> command = new ArrayList<>();
      command.add(javaCommand());
      command.addAll(JVM_OPTIONS);
      command.addAll(jvmOptions);
      command.add("-Dlog4j2.configurationFile=" + files.log4jConfig());
      command.add("-Dcamflow.kafka.data=" + files.dataDir);
      command.add("-cp");
      command.add(brokerClasspath());
      command.add(BrokerMain.class.getName());
      command.add(files.serverProperties().toString());
      if (!files.formatted()) {
        command.add("format");
        command.add(files.clusterId());
      }
      process =
          Lifeline.attach(new ProcessBuilder(command))
              .directory(files.dataDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(files.brokerOut().toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local Kafka broker in " + files.dataDir, e);
    }
    LocalKafka kafka = new LocalKafka(files, port, controllerPort, process);
    // serving = it logged that it started, then answers a request (accepting connections is not
    // enough)
    LogWatch started = new LogWatch(files.serverLog(), logStart, READY_LOG_LINE);
    kafka.server.awaitReady(
        START_TIMEOUT,
        Duration.ofMillis(50),
        () -> started.seen() && answersApiVersions(HOST, port, Duration.ofSeconds(2)));
    kafka.startupTime = Duration.ofNanos(System.nanoTime() - t0);
    return kafka;
  }

  /**
   * The broker shared by everything in this JVM: started on first use on a fresh temporary data
   * directory and free ports, stopped (and its directory deleted) when the JVM exits; it applies
   * retention every 5 s. Integration tests call this; they should create their own topics with
   * unique names.
   */
  public static LocalKafka shared() {
    return SHARED.get();
  }

  private static LocalKafka startShared() {
    Path dir;
    try {
      dir = Files.createTempDirectory("camflow-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int[] ports = FreePorts.find(2);
    // retention is checked every 5 s, not every minute: a test of retention waits seconds
    LocalKafka kafka =
        start(dir, ports[0], ports[1], Map.of("log.retention.check.interval.ms", "5000"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  deleteRecursively(dir);
                },
                "camflow-kafka-shared-cleanup"));
    System.getLogger(LocalKafka.class.getName())
        .log(
            System.Logger.Level.INFO,
            "shared Kafka broker up on {0} in {1} ms (data {2})",
            kafka.bootstrapServers(),
            Long.toString(kafka.startupTime.toMillis()),
            dir);
    return kafka;
  }

  /** {@code 127.0.0.1:<port>}, for the clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public Path dataDir() {
    return files.dataDir;
  }

  /** The broker's log file ({@code <data>/logs/server.log}). */
  public Path logFile() {
    return files.serverLog();
  }

  /** The broker JVM. */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** From launching the JVM to serving requests. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Stops the broker: SIGTERM (a clean shutdown), after {@link #STOP_TIMEOUT} SIGKILL. Idempotent.
   */
  @Override
  public void close() {
    server.close();
  }

  boolean isClosed() {
    return server.isClosed();
  }

  @Override
  public String toString() {
    return "LocalKafka["
        + bootstrapServers()
        + ", data "
        + files.dataDir
        + ", pid "
        + process.pid()
        + "]";
  }

  // ---- ./camflow up
  // -------------------------------------------------------------------------------

  /**
   * Runs a persistent broker in the foreground until SIGTERM/SIGINT: {@code LocalKafka --data DIR
   * [--port 9092] [--controller-port 9093] [--override key=value]...}. With {@code
   * CAMFLOW_LIFELINE=stdin} (as {@code ./camflow up} starts it) also until stdin ends.
   */
  public static void main(String[] args) {
    // the services end with the same launcher: like ./camflow up's own stop, the broker outlives
    // them a
    // little, so that their last sends and their leaving the consumer groups still reach it. Its
    // own
    // stop (close: SIGTERM to the broker, SIGKILL after STOP_TIMEOUT) fits in well before the halt.
    Lifeline.exitWhenStdinEndsIfAsked(
        io.camflow.options.Environment.variables(),
        "LocalKafka",
        SERVICES_STOP,
        STOP_TIMEOUT.plusSeconds(10));
    Path data = null;
    int port = 9092;
    int controllerPort = 9093;
    Map<String, String> overrides = new LinkedHashMap<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--data" -> data = Path.of(value(args, ++i, arg));
          case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
          case "--controller-port" -> controllerPort = Integer.parseInt(value(args, ++i, arg));
          case "--override" -> {
            String kv = value(args, ++i, arg);
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--override needs key=value, got " + kv);
            }
            overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          case "-h", "--help" -> {
            usage(System.out);
            return;
          }
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      if (data == null) {
        throw new IllegalArgumentException("--data is required");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("camflow kafka: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    LocalKafka kafka;
    try {
      kafka = start(data, port, controllerPort, overrides, List.of());
    } catch (RuntimeException e) {
      System.err.println("camflow kafka: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.printf(
        "camflow kafka: broker up on %s in %d ms (pid %d, data %s, log %s)%n",
        kafka.bootstrapServers(),
        kafka.startupTime.toMillis(),
        kafka.process.pid(),
        kafka.dataDir(),
        kafka.logFile());
    System.out.flush();
    kafka.server.runInForeground("camflow kafka");
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static void usage(java.io.PrintStream out) {
    out.println(
        "usage: java -cp <camflow-kafka> io.camflow.kafka.LocalKafka --data DIR"
            + " [--port 9092] [--controller-port 9093] [--override key=value]...");
  }

  // ---- internals
  // ----------------------------------------------------------------------------------

  String logTails() {
    return "--- "
        + files.brokerOut()
        + " (end) ---\n"
        + BrokerFiles.tail(files.brokerOut(), 30)
        + "--- "
        + files.serverLog()
        + " (end) ---\n"
        + BrokerFiles.tail(files.serverLog(), 60);
  }

  /**
   * Sends an ApiVersions v0 request (the one every Kafka version answers before any negotiation)
   * and reports whether the broker answered it without error — i.e. it processes requests, not
   * merely accepts connections.
   */
  static boolean answersApiVersions(String host, int port, Duration timeout) {
    int correlationId = 0x63616d66; // "camf"
    byte[] clientId = "camflow-local-kafka".getBytes(StandardCharsets.UTF_8);
    ByteBuffer request = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + clientId.length);
    request
        .putInt(request.capacity() - 4)
        .putShort((short) 18) // ApiVersions
        .putShort((short) 0)
        .putInt(correlationId)
        .putShort((short) clientId.length)
        .put(clientId);
    try (Socket socket = new Socket()) {
      int millis = (int) timeout.toMillis();
      socket.connect(new InetSocketAddress(host, port), millis);
      socket.setSoTimeout(millis);
      OutputStream out = socket.getOutputStream();
      out.write(request.array());
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int size = in.readInt();
      if (size < 6) {
        return false;
      }
      return in.readInt() == correlationId && in.readShort() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Follows a growing log file from an offset until a line containing {@code needle} appears; then
   * stays seen.
   */
  private static final class LogWatch {
    private final Path file;
    private final String needle;
    private long position;
    private String carry = "";
    private boolean seen;

    LogWatch(Path file, long position, String needle) {
      this.file = file;
      this.position = position;
      this.needle = needle;
    }

    boolean seen() {
      if (seen) {
        return true;
      }
      try {
        if (!Files.exists(file)) {
          return false;
        }
        long size = Files.size(file);
        if (size < position) { // rolled over
          position = 0;
        }
        if (size == position) {
          return false;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - position, 8 << 20));
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
          ch.position(position);
          while (buf.hasRemaining() && ch.read(buf) > 0) {
            /* fill */
          }
        }
        buf.flip();
        position += buf.remaining();
        String text = carry + StandardCharsets.UTF_8.decode(buf);
        if (text.contains(needle)) {
          seen = true;
          return true;
        }
        carry = text.substring(Math.max(0, text.length() - needle.length()));
        return false;
      } catch (IOException e) {
        return false;
      }
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .filter(c -> Files.isExecutable(Path.of(c)))
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** This code's own location followed by the broker's classpath recorded at build time. */
  static String brokerClasspath() {
    String recorded = BrokerFiles.resource(BrokerFiles.CLASSPATH_RESOURCE).strip();
    List<String> entries =
        Arrays.stream(recorded.split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    List<String> missing = entries.stream().filter(e -> !Files.exists(Path.of(e))).toList();
    if (entries.isEmpty() || !missing.isEmpty()) {
      throw new IllegalStateException(
          "the broker classpath recorded at build time is "
              + (entries.isEmpty() ? "empty" : "stale, missing " + missing)
              + ": rebuild camflow-kafka (./mvnw -pl kafka package)");
    }
    return ownLocation() + File.pathSeparator + String.join(File.pathSeparator, entries);
  }

  private static String ownLocation() {
    try {
      return Path.of(LocalKafka.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("cannot tell where camflow-kafka's classes are", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort at exit
    }
  }
}
