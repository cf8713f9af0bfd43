package io.camflow.keycloak;

import io.camflow.localprocess.ChildProcesses;
import io.camflow.localprocess.FreePorts;
import io.camflow.localprocess.Lifeline;
import io.camflow.localprocess.ServerProcess;
import io.camflow.localprocess.SharedServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A real Keycloak server (the official Quarkus distribution, {@code bin/kc.sh start-dev}, in-memory
 * H2) with the {@code camflow} realm imported, for {@code ./camflow up} and integration tests — no
 * Docker.
 *
 * <p>Maven unpacks the distribution once into {@code ~/.cache/camflow/keycloak-<version>} (outside
 * {@code target/}) and records that path in {@code io/camflow/keycloak/keycloak.properties}; the
 * system property {@code camflow.keycloak.home} or the environment variable {@code
 * CAMFLOW_KEYCLOAK_HOME} override it. Every start uses the same server options ({@link
 * #serverArguments}) so Keycloak's build-time augmentation (~25 s) happens once per distribution,
 * not per start.
 *
 * <p>Starts are serialised across threads and processes (a lock file in the distribution's {@code
 * data/}): the realm file in {@code data/import/} and a possible re-augmentation of {@code
 * lib/quarkus/} are shared state, so the lock is held from writing the import file until the server
 * is ready (the import has then happened). Running servers do not share anything else: the database
 * is in memory, the ports differ.
 *
 * <pre>{@code
 * LocalKeycloak kc = LocalKeycloak.shared();   // one server per test JVM, stopped at exit
 * URI token = kc.tokenEndpoint();              // password grant: client camflow-web, user viewer/viewer
 * }</pre>
 */
public final class LocalKeycloak implements AutoCloseable {

  /** The realm of {@link #BUNDLED_REALM}. */
  public static final String REALM = "camflow";

  /** Classpath resource of the local realm (also what {@code ./camflow up} imports). */
  public static final String BUNDLED_REALM = "io/camflow/keycloak/camflow-realm.json";

  /**
   * How long {@link #start} waits for {@code /health/ready}. First start after unpacking
   * re-augments (+25 s).
   */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  /** How long {@link #close} waits after SIGTERM before it kills the server. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Host name of {@link #baseUrl()}: a request to it gets URLs and a token {@code iss} with this
   * name.
   */
  public static final String HOST = "localhost";

  /**
   * Both of Keycloak's ports listen on loopback only; other machines reach the realm through
   * delivery.
   */
  public static final String BIND_ADDRESS = "127.0.0.1";

  /** Keycloak's own admin console user of the {@code master} realm ({@code /admin}), local only. */
  public static final String BOOTSTRAP_ADMIN = "admin";

  static final String PROPERTIES_RESOURCE = "io/camflow/keycloak/keycloak.properties";
  static final String HOME_PROPERTY = "camflow.keycloak.home";
  static final String HOME_ENV = "CAMFLOW_KEYCLOAK_HOME";

  /**
   * File name the realm gets in {@code data/import/}; other {@code camflow-*.json} files there are
   * removed.
   */
  static final String IMPORT_FILE = "camflow-realm.json";

  /** Test servers: the C1 compiler only starts Keycloak noticeably faster on two cores. */
  private static final String QUICK_START_JAVA_OPTS = "-XX:TieredStopAtLevel=1";

  private static final ReentrantLock START_LOCK = new ReentrantLock();
  private static final SharedServer<LocalKeycloak> SHARED =
      new SharedServer<>(
          "the shared local Keycloak", LocalKeycloak::startShared, kc -> kc.process.isAlive());

  private final Path home;
  private final int port;
  private final int managementPort;
  private final Path logFile;
  private final Process process;
  private final ServerProcess server;
  private Duration startupTime = Duration.ZERO;

  private LocalKeycloak(
      Path home, int port, int managementPort, Path logFile, Process process, Process watchdog) {
    this.home = home;
    this.port = port;
    this.managementPort = managementPort;
    this.logFile = logFile;
    this.process = process;
    // kc.sh runs java as a child (and execs it after a re-augmentation): the whole tree goes; then
    // the
    // watchdog's lifeline closes, it finds the group gone and exits
    this.server =
        new ServerProcess(
            "the local Keycloak (port " + port + ", management " + managementPort + ")",
            process,
            STOP_TIMEOUT,
            this::logTail,
            () -> releaseWatchdog(watchdog));
  }

  /**
   * Starts Keycloak with the bundled {@code camflow} realm on {@code http://localhost:port}
   * (management and health on {@code managementPort}) and returns once {@code /health/ready}
   * answers UP.
   *
   * @param logFile the server's stdout and stderr (appended; parent folders are created)
   * @throws IllegalStateException when the server exits or is not ready within {@link
   *     #START_TIMEOUT}; the message carries the end of its log
   */
  public static LocalKeycloak start(int port, int managementPort, Path logFile) {
    return start(
        port, managementPort, logFile, bundledRealm(), BOOTSTRAP_ADMIN, QUICK_START_JAVA_OPTS);
  }

  /**
   * As {@link #start(int, int, Path)} with another realm export (its realm must be named {@code
   * camflow}).
   */
  public static LocalKeycloak start(int port, int managementPort, Path logFile, byte[] realmJson) {
    return start(port, managementPort, logFile, realmJson, BOOTSTRAP_ADMIN, QUICK_START_JAVA_OPTS);
  }

  /**
   * As {@link #start(int, int, Path)} with the bundled realm made safe beyond loopback: these
   * secrets and passwords instead of the well-known ones, no password grant ({@link
   * RealmSecrets#applyTo}), and this master admin password.
   */
  public static LocalKeycloak start(
      int port, int managementPort, Path logFile, RealmSecrets secrets) {
    return start(
        port,
        managementPort,
        logFile,
        secrets.applyTo(bundledRealm()),
        secrets.masterAdminPassword(),
        QUICK_START_JAVA_OPTS);
  }

  private static LocalKeycloak start(
      int port,
      int managementPort,
      Path logFile,
      byte[] realmJson,
      String adminPassword,
      String javaOptsAppend) {
    if (port == managementPort) {
      throw new IllegalArgumentException("port and management port must differ: " + port);
    }
    Path home = distributionHome();
    Path kcSh = home.resolve("bin/kc.sh");
    if (!Files.isRegularFile(kcSh)) {
      throw new IllegalStateException(
          "no Keycloak distribution at "
              + home
              + ": build camflow-keycloak (./mvnw -pl keycloak package) to unpack it, or set -D"
              + HOME_PROPERTY
              + " / "
              + HOME_ENV);
    }
    START_LOCK.lock();
    try (FileChannel lockChannel = openLock(home);
        FileLock ignored = lockChannel.lock()) {
      long t0 = System.nanoTime();
      writeImport(home, realmJson);
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      List<String> command = new ArrayList<>();
      // kc.sh and the server JVM it starts in a process group of their own: what the watchdog stops
      command.add("setsid");
      command.add("/bin/sh"); // no reliance on the zip's exec bits
      command.add(kcSh.toString());
      command.addAll(serverArguments(port, managementPort));
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      environment(pb.environment(), adminPassword, javaOptsAppend);
      Process process = pb.start();
      Process watchdog;
      try {
        watchdog = watchdog(process.pid());
      } catch (IOException e) {
        ChildProcesses.stop(process, STOP_TIMEOUT);
        throw e;
      }
      LocalKeycloak kc = new LocalKeycloak(home, port, managementPort, logFile, process, watchdog);
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        kc.server.awaitReady(START_TIMEOUT, Duration.ofMillis(250), () -> kc.healthReady(http));
      } finally {
        // imported once ready (the database is in memory); the file may hold generated secrets
        Files.deleteIfExists(home.resolve("data/import").resolve(IMPORT_FILE));
      }
      kc.startupTime = Duration.ofNanos(System.nanoTime() - t0);
      return kc;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local Keycloak in " + home, e);
    } finally {
      START_LOCK.unlock();
    }
  }

  /**
   * The server shared by everything in this JVM: started on first use on free ports with the
   * bundled realm, stopped at JVM exit. Tests must not change the realm in ways other tests could
   * notice (create their own users/roles with unique names if they need to).
   */
  public static LocalKeycloak shared() {
    return SHARED.get();
  }

  private static LocalKeycloak startShared() {
    int[] ports = FreePorts.find(2);
    Path log;
    try {
      log = Files.createTempFile("camflow-keycloak-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalKeycloak kc = start(ports[0], ports[1], log);
    System.getLogger(LocalKeycloak.class.getName())
        .log(
            System.Logger.Level.INFO,
            "shared Keycloak up on {0} in {1} ms (log {2})",
            kc.baseUrl(),
            Long.toString(kc.startupTime.toMillis()),
            log);
    return kc;
  }

  /** {@code http://localhost:<port>} */
  public URI baseUrl() {
    return URI.create("http://" + HOST + ":" + port);
  }

  /**
   * {@code http://localhost:<port>/realms/camflow}: the {@code iss} of every token of the realm.
   */
  public URI issuer() {
    return URI.create(baseUrl() + "/realms/" + REALM);
  }

  /** The realm's OAuth 2 token endpoint. */
  public URI tokenEndpoint() {
    return URI.create(issuer() + "/protocol/openid-connect/token");
  }

  /** The realm's JSON Web Key Set (token signing keys). */
  public URI jwksUri() {
    return URI.create(issuer() + "/protocol/openid-connect/certs");
  }

  /** {@code <issuer>/.well-known/openid-configuration} */
  public URI discoveryUri() {
    return URI.create(issuer() + "/.well-known/openid-configuration");
  }

  /** Health and metrics: {@code http://localhost:<managementPort>}. */
  public URI managementUrl() {
    return URI.create("http://" + HOST + ":" + managementPort);
  }

  public int port() {
    return port;
  }

  public int managementPort() {
    return managementPort;
  }

  /** The unpacked distribution this server runs from. */
  public Path home() {
    return home;
  }

  /** The server's stdout/stderr. */
  public Path logFile() {
    return logFile;
  }

  /** {@code kc.sh} (it forwards SIGTERM to the server JVM, its child). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** From launching {@code kc.sh} to {@code /health/ready} UP. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Stops the server: SIGTERM, after {@link #STOP_TIMEOUT} SIGKILL to it and its children.
   * Idempotent.
   */
  @Override
  public void close() {
    server.close();
  }

  boolean isClosed() {
    return server.isClosed();
  }

  private static void releaseWatchdog(Process watchdog) {
    try {
      watchdog.getOutputStream().close(); // its lifeline
    } catch (IOException e) {
      watchdog.destroy();
    }
  }

  @Override
  public String toString() {
    return "LocalKeycloak["
        + baseUrl()
        + ", management "
        + managementPort
        + ", pid "
        + process.pid()
        + "]";
  }

  // ---- ./camflow up
  // -------------------------------------------------------------------------------

  /** Parsed {@link #main} arguments. */
  record Args(int port, int managementPort, Path logFile, Path realm, Path secrets, boolean help) {
    static Args parse(String... args) {
      int port = 8180;
      Integer management = null;
      Path log = null;
      Path realm = null;
      Path secrets = null;
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--port" -> port = parsePort(value(args, ++i, arg), arg);
          case "--management-port" -> management = parsePort(value(args, ++i, arg), arg);
          case "--log" -> log = Path.of(value(args, ++i, arg));
          case "--realm" -> realm = Path.of(value(args, ++i, arg));
          case "--secrets" -> secrets = Path.of(value(args, ++i, arg));
          case "-h", "--help" -> help = true;
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      int m = management != null ? management : port + 10;
      if (m == port) {
        throw new IllegalArgumentException("--port and --management-port must differ: " + port);
      }
      if (log == null) {
        log = Path.of(System.getProperty("java.io.tmpdir"), "camflow-keycloak-" + port + ".log");
      }
      if (realm != null && secrets != null) {
        throw new IllegalArgumentException(
            "--realm and --secrets do not go together: --secrets applies to"
                + " the bundled realm");
      }
      return new Args(port, m, log, realm, secrets, help);
    }

    private static int parsePort(String s, String option) {
      try {
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException(option + " must be 1..65535, got " + s);
        }
        return p;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a number, got " + s);
      }
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  /**
   * Runs Keycloak in the foreground until SIGTERM/SIGINT: {@code LocalKeycloak [--port 8180]
   * [--management-port <port+10>] [--log FILE] [--realm FILE | --secrets DIR]}. With {@code
   * CAMFLOW_LIFELINE=stdin} (as {@code ./camflow up} starts it) also until stdin ends. The realm is
   * in memory: every start begins from the realm file again. {@code --secrets}: the bundled realm
   * with the secrets and passwords of that folder and no password grant ({@link RealmSecrets}), and
   * the master admin password from there too; without it, the well-known ones (loopback use only).
   */
  public static void main(String[] argv) {
    // before the ~30 s start: a launcher killed meanwhile must not leave a server starting up
    Lifeline.exitWhenStdinEndsIfAsked(
        io.camflow.options.Environment.variables(), "LocalKeycloak", STOP_TIMEOUT.plusSeconds(10));
    Args args;
    try {
      args = Args.parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("camflow keycloak: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    if (args.help()) {
      usage(System.out);
      return;
    }
    LocalKeycloak kc;
    String adminPassword = "(" + BOOTSTRAP_ADMIN + ")";
    try {
      byte[] realm = args.realm() == null ? bundledRealm() : Files.readAllBytes(args.realm());
      String password = BOOTSTRAP_ADMIN;
      if (args.secrets() != null) {
        RealmSecrets secrets = RealmSecrets.read(args.secrets());
        realm = secrets.applyTo(realm);
        password = secrets.masterAdminPassword();
        adminPassword = "(./camflow credentials)";
      }
      kc = start(args.port(), args.managementPort(), args.logFile(), realm, password, "");
    } catch (IOException | RuntimeException e) {
      System.err.println("camflow keycloak: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.printf(
        "camflow keycloak: up on %s in %d ms (issuer %s, console %s/admin as %s, password %s,"
            + " health %s/health/ready, pid %d, log %s)%n",
        kc.baseUrl(),
        kc.startupTime.toMillis(),
        kc.issuer(),
        kc.baseUrl(),
        BOOTSTRAP_ADMIN,
        adminPassword,
        kc.managementUrl(),
        kc.process.pid(),
        kc.logFile);
    System.out.flush();
    kc.server.runInForeground("camflow keycloak");
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: java -cp <camflow-keycloak> io.camflow.keycloak.LocalKeycloak [--port 8180]"
            + " [--management-port <port+10>] [--log FILE] [--realm camflow-realm.json | --secrets DIR]");
  }

  // ---- internals
  // ----------------------------------------------------------------------------------

  /**
   * The one option set every start uses. Build-time options ({@code --db}, {@code
   * --health-enabled}, features) must never vary: a different set costs a ~25 s re-augmentation of
   * the shared distribution.
   */
  static List<String> serverArguments(int port, int managementPort) {
    return List.of(
        "start-dev",
        "--import-realm",
        "--db=dev-mem",
        "--health-enabled=true",
        "--http-host=" + BIND_ADDRESS, // the management interface inherits it
        "--http-port=" + port,
        "--http-management-port=" + managementPort,
        // no --hostname: URLs and the tokens' iss follow the request, so that delivery can forward
        // the
        // realm's endpoints to browsers on other machines (X-Forwarded-*: only local processes
        // reach it)
        "--proxy-headers=xforwarded");
  }

  /** The server's environment: this JVM as its Java, and the master realm's console user. */
  static void environment(Map<String, String> env, String javaOptsAppend) {
    environment(env, BOOTSTRAP_ADMIN, javaOptsAppend);
  }

  /** As {@link #environment(Map, String)} with this master admin password. */
  static void environment(Map<String, String> env, String adminPassword, String javaOptsAppend) {
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.remove("JAVA"); // kc.sh prefers $JAVA over $JAVA_HOME
    env.remove("JAVA_OPTS"); // would replace kc.sh's defaults (add-opens, heap)
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", BOOTSTRAP_ADMIN);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
    if (javaOptsAppend.isBlank()) {
      env.remove("JAVA_OPTS_APPEND");
    } else {
      env.put("JAVA_OPTS_APPEND", javaOptsAppend);
    }
    // a KC_* variable of the caller (KC_DB, KC_FEATURES, ...) would change the build options
    env.keySet().removeIf(k -> k.startsWith("KC_") && !k.startsWith("KC_BOOTSTRAP_ADMIN_"));
  }

  /** The distribution: system property, environment, or the path Maven unpacked it to. */
  static Path distributionHome() {
    String configured = System.getProperty(HOME_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = io.camflow.options.Environment.variables().get(HOME_ENV);
    }
    if (configured == null || configured.isBlank()) {
      Properties p = new Properties();
      try (InputStream in = resourceStream(PROPERTIES_RESOURCE)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      configured = p.getProperty("keycloak.home");
    }
    return Path.of(configured).toAbsolutePath();
  }

  /** The bundled {@code camflow} realm export. */
  public static byte[] bundledRealm() {
    try (InputStream in = resourceStream(BUNDLED_REALM)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resourceStream(String name) {
    InputStream in = LocalKeycloak.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing resource " + name + ": rebuild camflow-keycloak");
    }
    return in;
  }

  private static FileChannel openLock(Path home) throws IOException {
    Path data = Files.createDirectories(home.resolve("data"));
    return FileChannel.open(
        data.resolve(".camflow-start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** {@code data/import/} holds exactly our realm file (Keycloak imports every file there). */
  private static void writeImport(Path home, byte[] realmJson) throws IOException {
    Path dir = Files.createDirectories(home.resolve("data/import"));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals(IMPORT_FILE)) {
          Files.deleteIfExists(f);
        }
      }
    }
    Path target = dir.resolve(IMPORT_FILE);
    if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), realmJson)) {
      Path tmp = Files.createTempFile(dir.getParent(), "realm-", ".json.tmp");
      Files.write(tmp, realmJson);
      Files.move(
          tmp,
          target,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * A tiny shell that outlives this JVM: once its stdin, a {@link Lifeline} from this JVM, ends —
   * this JVM is gone, even after {@code kill -9} — it sends SIGTERM to the server's process group
   * (kc.sh forwards it to the server JVM, which also gets it directly) and, 20 s later, SIGKILL to
   * what is left of the group. Keycloak itself cannot watch a lifeline: it never reads its stdin.
   */
  private static Process watchdog(long group) throws IOException {
    String script =
        "while read -r _; do :; done; "
            + "kill -0 -"
            + group
            + " 2>/dev/null || exit 0; "
            + "kill -TERM -"
            + group
            + " 2>/dev/null; "
            + "i=0; while [ $i -lt 20 ] && kill -0 -"
            + group
            + " 2>/dev/null; do sleep 1; i=$((i+1)); done; "
            + "kill -KILL -"
            + group
            + " 2>/dev/null; exit 0";
    return Lifeline.attach(new ProcessBuilder("/bin/sh", "-c", script))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * {@code /health/ready} on the management port answers UP (the realm import has happened by
   * then).
   */
  private boolean healthReady(HttpClient http) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("UP");
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the local Keycloak", e);
    }
  }

  String logTail() {
    List<String> lines;
    try {
      lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
    return "--- "
        + logFile
        + " (end) ---\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
