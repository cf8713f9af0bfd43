package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.keycloak.LoginForm;
import io.camflow.localprocess.FreePorts;
import io.camflow.localprocess.ProcessStates;
import io.camflow.localprocess.UnreapedProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./camflow up}, started the way a script starts it ({@code ./camflow up &}, which
 * runs it with SIGINT ignored), on the classes the build made ({@code CAMFLOW_SKIP_BUILD=1}) and a
 * temporary {@code CAMFLOW_DATA}. A second {@code ./camflow up} refuses naming the first; SIGKILL
 * of the launcher, left unreaped as under a supervisor that does not wait for it, takes the whole
 * stack down — a service that cannot notice (stopped with SIGSTOP) is what the next {@code
 * ./camflow up} finds and stops; SIGTERM stops the stack in order. Kafka's and Keycloak's ports are
 * fixed (9092, 9093, 8180, 8190): they must be free; delivery gets a free port, ingest and packager
 * no metrics server (other tests use 8081 and 8082). The first start generates the realm's secrets
 * and passwords (printed once, {@code ./camflow credentials} prints them again): they work, the
 * well-known ones and the password grant do not, and the next start keeps them (issue 14 point 2).
 */
class CamflowUpE2EIT {

  static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  static final int HTTP = FreePorts.find();
  static final int HTTPS = FreePorts.find();
  static final int RTSP = FreePorts.find();
  static final int RTSPS = FreePorts.find();

  /** delivery's RTSP over UDP: RTP here, RTCP on the next port. */
  static final int RTP = freeUdpPair();

  static final Map<Integer, String> PORTS = new LinkedHashMap<>();

  static {
    PORTS.put(9092, "Kafka");
    PORTS.put(9093, "Kafka's controller");
    PORTS.put(8180, "Keycloak");
    PORTS.put(8190, "Keycloak's management");
    PORTS.put(HTTP, "delivery");
    PORTS.put(HTTPS, "delivery's HTTPS");
    PORTS.put(RTSP, "delivery's RTSP");
    PORTS.put(RTSPS, "delivery's RTSPS");
  }

  /** An even UDP port whose next one is free too. */
  private static int freeUdpPair() {
    for (int i = 0; i < 100; i++) {
      try (java.net.DatagramSocket a = new java.net.DatagramSocket(0)) {
        int p = a.getLocalPort();
        if (p % 2 == 0 && p < 65534) {
          try (java.net.DatagramSocket b = new java.net.DatagramSocket(p + 1)) {
            return p;
          }
        }
      } catch (java.net.SocketException taken) {
        // another
      }
    }
    throw new IllegalStateException("no free pair of UDP ports");
  }

  static final Duration STACK_GONE_WITHIN = Duration.ofSeconds(30);

  @TempDir Path tmp;

  @Test
  void refusesASecondLauncherEndsWithAKilledLauncherAndStopsInOrderOnTerm() throws Exception {
    PORTS.forEach(
        (port, what) ->
            assertFalse(
                listens(port),
                "port "
                    + port
                    + " ("
                    + what
                    + ") is in use before the"
                    + " test: ./camflow up needs it. Find what holds it with ss -ltnp 'sport = :"
                    + port
                    + "' and stop it"));
    Path data = tmp.resolve("data");
    Path firstLog = tmp.resolve("first.log");
    long t0 = System.nanoTime();

    try (UnreapedProcess first = UnreapedProcess.start(launcherCommand(data, firstLog))) {
      long pid = first.pid();
      awaitPort(HTTP, Duration.ofSeconds(120), pid, firstLog);
      awaitPort(8180, Duration.ofSeconds(180), pid, firstLog);
      awaitPort(HTTPS, Duration.ofSeconds(30), pid, firstLog);
      System.out.printf("first ./camflow up (pid %d) serves in %d s%n", pid, secondsSince(t0));
      // HTTPS with the self-signed certificate made under the data folder, its fingerprint told
      assertTrue(
          java.util.regex.Pattern.compile(
                  "HTTPS on \\S+:"
                      + HTTPS
                      + " with the self-signed certificate \\S+"
                      + " \\(SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\\)")
              .matcher(Files.readString(firstLog))
              .find(),
          "delivery tells the certificate's fingerprint:\n" + tail(firstLog));
      assertEquals(
          "rw-------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(data.resolve("tls/delivery.key"))),
          "the key is the owner's only");
      assertTrue(
          ignoresSigint(pid),
          "started like './camflow up &' in a script, the launcher ignores SIGINT");
      Map<String, String> credentials = credentials(data);
      assertGeneratedCredentialsOnly(credentials);
      assertExposedAsDocumented(pid, credentials);
      String terminal = Files.readString(firstLog);
      assertTrue(
          terminal.contains("first start: these passwords and secrets were generated"),
          tail(firstLog));
      for (String secret : credentials.values()) {
        // the one-time print on the terminal, and nowhere else: not in what the services log there
        // or in files
        assertEquals(
            1, occurrences(terminal, secret), "printed once on the terminal, never logged");
        for (Path logFile : listLogs(data)) {
          assertFalse(
              Files.readString(logFile).contains(secret), logFile + " holds a generated secret");
        }
      }
      assertEquals(
          "rwx------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(data.resolve("secrets"))));
      try (var files = Files.list(data.resolve("secrets"))) {
        for (Path f : files.toList()) {
          assertEquals(
              "rw-------",
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(f)),
              f.toString());
        }
      }

      Result second = run(launcherCommand(data, null), Duration.ofSeconds(60));
      assertNotEquals(0, second.exitCode(), second.output());
      assertTrue(
          second.output().contains("(pid " + pid + ")")
              && second.output().contains("kill -TERM " + pid),
          "the second ./camflow up must name the first and how to stop it:\n" + second.output());

      // ignored SIGINT does nothing (documented: TERM stops a launcher started in the background)
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
      Thread.sleep(2000);
      assertFalse(
          ProcessStates.hasEnded(pid),
          "SIGINT stopped a launcher that ignores it?\n" + tail(firstLog));

      Map<String, Long> recorded = recorded(data);
      assertEquals(
          List.of("launcher", "keycloak", "kafka", "ingest-1", "packager-1", "delivery-1"),
          List.copyOf(recorded.keySet()));
      List<ProcessHandle> stack = ProcessHandle.of(pid).orElseThrow().descendants().toList();
      long packager = recorded.get("packager-1");
      new ProcessBuilder("kill", "-STOP", Long.toString(packager))
          .start()
          .waitFor(); // cannot read its lifeline

      first.kill(); // SIGKILL, and nobody reaps it
      long killed = System.nanoTime();
      for (ProcessHandle p : stack) {
        if (p.pid() != packager) {
          assertTrue(
              ProcessStates.awaitEnded(
                  p.pid(), STACK_GONE_WITHIN.minusNanos(System.nanoTime() - killed)),
              "still running "
                  + STACK_GONE_WITHIN.toSeconds()
                  + " s after the launcher was killed: "
                  + describe(p));
        }
      }
      for (int port : List.of(9092, 8180, HTTP, HTTPS)) {
        assertFalse(
            listens(port),
            PORTS.get(port) + " still listens on " + port + " after the launcher was killed");
      }
      System.out.printf(
          "killed launcher: its %d processes ended within %d s%n%s",
          stack.size() - 1, secondsSince(killed), launcherLines(firstLog));
      assertFalse(
          ProcessStates.hasEnded(packager),
          "the stopped packager should still be there for the next run");

      // the next run: the earlier record is stale, the stopped packager a leftover to stop
      Path secondLog = tmp.resolve("second.log");
      List<String> script =
          new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" & echo $!; wait $!", "sh"));
      script.addAll(launcherCommand(data, secondLog));
      Process launcher = new ProcessBuilder(script).redirectErrorStream(true).start();
      try {
        long next =
            Long.parseLong(
                new BufferedReader(
                        new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()
                    .strip());
        long t1 = System.nanoTime();
        awaitPort(HTTP, Duration.ofSeconds(120), next, secondLog);
        System.out.printf("second ./camflow up (pid %d) serves in %d s%n", next, secondsSince(t1));
        String log = Files.readString(secondLog);
        assertTrue(
            log.contains("ended without stopping packager-1 (pid " + packager + "): stopping them"),
            log);
        // the same credentials, not printed again, and the freshly imported realm has them
        awaitPort(8180, Duration.ofSeconds(180), next, secondLog);
        assertEquals(credentials, credentials(data), "kept across restarts");
        assertGeneratedCredentialsOnly(credentials);
        log = Files.readString(secondLog);
        assertFalse(log.contains("first start: these passwords"), log);
        assertFalse(
            credentials.values().stream().anyMatch(log::contains),
            "a restart prints or logs no secret");
        assertTrue(ProcessStates.hasEnded(packager), "the leftover packager still runs");
        List<ProcessHandle> stack2 = ProcessHandle.of(next).orElseThrow().descendants().toList();

        long term = System.nanoTime();
        new ProcessBuilder("kill", "-TERM", Long.toString(next)).start().waitFor();
        assertTrue(
            launcher.waitFor(90, TimeUnit.SECONDS),
            "SIGTERM did not stop ./camflow up\n" + tail(secondLog));
        System.out.printf(
            "SIGTERM: stopped in %d s%n%s", secondsSince(term), launcherLines(secondLog));
        assertEquals(0, launcher.exitValue(), tail(secondLog));
        assertTrue(Files.readString(secondLog).contains("camflow: stopped"), tail(secondLog));
        for (ProcessHandle p : stack2) {
          assertTrue(
              ProcessStates.awaitEnded(p.pid(), Duration.ofSeconds(5)),
              "left running: " + describe(p));
        }
        PORTS.forEach(
            (port, what) -> assertFalse(listens(port), what + " still listens on " + port));
        assertFalse(Files.exists(data.resolve("run/stack")), "an orderly stop removes its record");
      } finally {
        launcher.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
      }
    }
    demoModeKeepsToLoopback(data);
    System.out.printf("CamflowUpE2EIT took %d s%n", secondsSince(t0));
  }

  /**
   * {@code ./camflow up --demo}: the well-known passwords and the password grant, so delivery
   * listens on loopback only — reached at 127.0.0.1, not at this machine's other address.
   */
  private void demoModeKeepsToLoopback(Path data) throws Exception {
    Path log = tmp.resolve("demo.log");
    List<String> command = new ArrayList<>(environment(data));
    command.addAll(
        List.of(
            "/bin/sh",
            "-c",
            "exec \"$0\" up --demo >\"$1\" 2>&1",
            HOME.resolve("camflow").toString(),
            log.toString()));
    Process demo = new ProcessBuilder(command).start();
    try {
      awaitPort(HTTP, Duration.ofSeconds(120), demo.pid(), log);
      awaitPort(8180, Duration.ofSeconds(180), demo.pid(), log);
      assertEquals(
          200,
          tokenRequest(
              "http://localhost:8180/realms/camflow",
              "grant_type",
              "password",
              "client_id",
              "camflow-web",
              "username",
              "viewer",
              "password",
              "viewer"),
          "demo mode keeps viewer/viewer and the grant");
      java.util.Optional<java.net.InetAddress> other = otherAddress();
      if (other.isPresent()) {
        for (int port : List.of(HTTP, HTTPS)) {
          assertFalse(
              listens(other.get(), port),
              "demo mode: " + PORTS.get(port) + " reachable at " + other.get());
        }
      } else {
        System.out.println(
            "demo mode: this machine has no address but loopback; only 127.0.0.1 checked");
      }
      new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor();
      assertTrue(
          demo.waitFor(90, TimeUnit.SECONDS),
          "SIGTERM did not stop ./camflow up --demo\n" + tail(log));
      System.out.printf(
          "demo mode: delivery on loopback only (other address %s)%n%s",
          other.orElse(null), launcherLines(log));
    } finally {
      demo.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  /**
   * issue 14, "Done when": from a non-loopback address of this machine, delivery's two ports answer
   * and nothing else of the stack does — no Kafka, no Keycloak, its admin console and master realm
   * not through delivery either, no password grant — and {@code ss} shows no socket of the stack on
   * a wildcard address but the public ones of docs/operations.md ("What is exposed").
   */
  private static void assertExposedAsDocumented(long launcher, Map<String, String> credentials)
      throws Exception {
    java.net.InetAddress other =
        otherAddress()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "this machine has no non-loopback IPv4 address: cannot check what other machines reach"));
    String host = other.getHostAddress();
    assertTrue(
        listens(other, HTTP)
            && listens(other, HTTPS)
            && listens(other, RTSP)
            && listens(other, RTSPS),
        "delivery's ports listen on every interface (no --demo)");
    for (int port : List.of(9092, 9093, 8180, 8190)) {
      assertFalse(listens(other, port), PORTS.get(port) + " reachable at " + host + ":" + port);
    }
    javax.net.ssl.SSLContext trustAll =
        javax.net.ssl.SSLContext.getInstance("TLS"); // looking at answers, not certificates
    trustAll.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(
                java.security.cert.X509Certificate[] chain, String type) {}

            @Override
            public void checkServerTrusted(
                java.security.cert.X509Certificate[] chain, String type) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
              return new java.security.cert.X509Certificate[0];
            }
          }
        },
        null);
    String origin = "https://" + host + ":" + HTTPS;
    try (java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .sslContext(trustAll)
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      java.util.function.Function<String, java.net.http.HttpResponse<String>> get =
          path -> {
            try {
              return http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(origin + path))
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new AssertionError(path + ": " + e, e);
            }
          };
      var realm = get.apply("/realms/camflow/.well-known/openid-configuration");
      assertEquals(200, realm.statusCode(), "the login's realm through delivery: " + realm.body());
      assertTrue(
          realm.body().contains("\"issuer\":\"" + origin + "/realms/camflow\""), realm.body());
      for (String path :
          List.of(
              "/admin/master/console/",
              "/admin/realms/camflow/users",
              "/realms/master/.well-known/openid-configuration",
              "/realms/master/protocol/openid-connect/auth")) {
        var r = get.apply(path);
        assertNotEquals(200, r.statusCode(), path + " reachable from " + host + ": " + r.body());
        assertFalse(
            r.body().contains("keycloak") || r.body().contains("Keycloak"), path + ": " + r.body());
      }
      String form =
          "grant_type=password&client_id=camflow-web&username=viewer&password="
              + java.net.URLEncoder.encode(credentials.get("viewer"), StandardCharsets.UTF_8);
      var grant =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(origin + "/realms/camflow/protocol/openid-connect/token"))
                  .timeout(Duration.ofSeconds(20))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertNotEquals(
          200,
          grant.statusCode(),
          "the password grant from another machine, with the right password");
    }
    // every listening socket of the stack: wildcard addresses only for the documented public ports
    java.util.Set<Long> stack = new java.util.HashSet<>();
    ProcessHandle.of(launcher).orElseThrow().descendants().forEach(p -> stack.add(p.pid()));
    List<String> wild = new ArrayList<>();
    int sockets = 0;
    for (String[] kind : List.of(new String[] {"-Hltnp", "tcp"}, new String[] {"-Hlunp", "udp"})) {
      Result ss = run(List.of("ss", kind[0]), Duration.ofSeconds(20));
      assertEquals(0, ss.exitCode(), ss.output());
      for (String line : ss.output().lines().toList()) {
        java.util.regex.Matcher owner = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(line);
        if (!owner.find() || !stack.contains(Long.parseLong(owner.group(1)))) {
          continue;
        }
        sockets++;
        String local = line.trim().split("\\s+")[3];
        int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1));
        boolean wildcard =
            local.startsWith("*:") || local.startsWith("0.0.0.0:") || local.startsWith("[::]:");
        boolean isPublic =
            kind[1].equals("tcp")
                ? port == HTTP || port == HTTPS || port == RTSP || port == RTSPS
                : port == 8189 || port == RTP || port == RTP + 1;
        if (wildcard && !isPublic) {
          wild.add(kind[1] + " " + local + " (" + line.trim() + ")");
        }
      }
    }
    assertTrue(
        sockets >= 6, "ss saw the stack's sockets (" + sockets + "): is ss showing processes?");
    assertEquals(
        List.of(), wild, "listening beyond loopback, and not a public port of docs/operations.md");
    System.out.printf(
        "exposure from %s: delivery's %d, %d, RTSP %d and RTSPS %d only; %d listening sockets of"
            + " the stack checked%n",
        host, HTTP, HTTPS, RTSP, RTSPS, sockets);
  }

  /** An address of this machine other than loopback, where another machine would connect. */
  private static java.util.Optional<java.net.InetAddress> otherAddress() throws IOException {
    for (java.net.NetworkInterface nic :
        java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLinkLocalAddress()) {
          return java.util.Optional.of(a);
        }
      }
    }
    return java.util.Optional.empty();
  }

  private static boolean listens(java.net.InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@code ./camflow credentials}: "user password" lines under comments; the realm's users as
   * themselves, Keycloak's master admin as {@code master:admin}, the clients by id.
   */
  private static Map<String, String> credentials(Path data) throws Exception {
    List<String> command = new ArrayList<>(environment(data));
    command.addAll(List.of(HOME.resolve("camflow").toString(), "credentials"));
    Result r = run(command, Duration.ofSeconds(30));
    assertEquals(0, r.exitCode(), "./camflow credentials failed");
    Map<String, String> out = new LinkedHashMap<>();
    String section = "";
    for (String line : r.output().split("\n")) {
      if (line.startsWith("#")) {
        section = line.contains("master realm admin") ? "master:" : "";
      } else if (!line.isBlank()) {
        String[] pair = line.split(" ");
        assertEquals(2, pair.length, "one user and one password a line");
        assertTrue(pair[1].length() >= 16, "a generated value for " + pair[0]);
        out.put(section + pair[0], pair[1]);
      }
    }
    assertEquals(
        List.of(
            "admin",
            "viewer",
            "outsider",
            "master:admin",
            "camflow-services",
            "camflow-provisioner"),
        List.copyOf(out.keySet()));
    return out;
  }

  /**
   * Against the running Keycloak: the generated values work, the well-known ones and the password
   * grant do not.
   */
  private static void assertGeneratedCredentialsOnly(Map<String, String> credentials)
      throws Exception {
    String camflow = "http://localhost:8180/realms/camflow";
    String master = "http://localhost:8180/realms/master";
    // the login page through delivery, which forwards the realm, as the web viewer signs in
    java.net.URI issuer = java.net.URI.create("http://localhost:" + HTTP + "/realms/camflow");
    java.net.URI redirect = java.net.URI.create("http://localhost:" + HTTP + "/"); // never called
    for (String user : List.of("admin", "viewer", "outsider")) {
      assertTrue(
          LoginForm.accessToken(issuer, redirect, user, user).isEmpty(),
          user + "/" + user + " must be refused");
      assertTrue(
          LoginForm.accessToken(issuer, redirect, user, credentials.get(user)).isPresent(),
          user + "'s generated password");
      for (String client : List.of("camflow-web", "admin-cli")) {
        assertNotEquals(
            200,
            tokenRequest(
                camflow,
                "grant_type",
                "password",
                "client_id",
                client,
                "username",
                user,
                "password",
                credentials.get(user)),
            client + "'s password grant is off");
      }
    }
    assertEquals(
        400,
        tokenRequest(
            master,
            "grant_type",
            "password",
            "client_id",
            "admin-cli",
            "username",
            "admin",
            "password",
            "admin"),
        "Keycloak's master admin/admin must be refused");
    assertEquals(
        200,
        tokenRequest(
            master,
            "grant_type",
            "password",
            "client_id",
            "admin-cli",
            "username",
            "admin",
            "password",
            credentials.get("master:admin")));
    for (String client : List.of("camflow-services", "camflow-provisioner")) {
      assertEquals(
          401,
          tokenRequest(
              camflow,
              "grant_type",
              "client_credentials",
              "client_id",
              client,
              "client_secret",
              client + "-local-secret"),
          client + "'s well-known secret must be refused");
      assertEquals(
          200,
          tokenRequest(
              camflow,
              "grant_type",
              "client_credentials",
              "client_id",
              client,
              "client_secret",
              credentials.get(client)),
          client + "'s generated secret");
    }
  }

  /** POSTs the form to the realm's token endpoint; the status. */
  private static int tokenRequest(String realm, String... form) throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < form.length; i += 2) {
      body.append(i == 0 ? "" : "&")
          .append(java.net.URLEncoder.encode(form[i], StandardCharsets.UTF_8))
          .append('=')
          .append(java.net.URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
    }
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      return http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(realm + "/protocol/openid-connect/token"))
                  .timeout(Duration.ofSeconds(20))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  private static List<Path> listLogs(Path data) throws IOException {
    try (var files = Files.walk(data.resolve("logs"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** {@code ./camflow up} without the build, its output to {@code log} (to ours when null). */
  private static List<String> launcherCommand(Path data, Path log) {
    List<String> command = new ArrayList<>(environment(data));
    if (log == null) {
      command.addAll(List.of(HOME.resolve("camflow").toString(), "up"));
    } else {
      command.addAll(
          List.of(
              "/bin/sh",
              "-c",
              "exec \"$0\" up >\"$1\" 2>&1",
              HOME.resolve("camflow").toString(),
              log.toString()));
    }
    return command;
  }

  /**
   * {@code env} with the launcher's settings: this test's data, no build, this JDK, a free HTTP
   * port, no metrics.
   */
  private static List<String> environment(Path data) {
    return List.of(
        "env",
        "CAMFLOW_DATA=" + data,
        "CAMFLOW_SKIP_BUILD=1",
        "JAVA_HOME=" + System.getProperty("java.home"),
        "CAMFLOW_HTTP_PORT=" + HTTP,
        "CAMFLOW_HTTPS_PORT=" + HTTPS,
        "CAMFLOW_RTSP_PORT=" + RTSP,
        "CAMFLOW_RTSPS_PORT=" + RTSPS,
        "CAMFLOW_RTSP_RTP_PORT=" + RTP,
        "CAMFLOW_METRICS_PORT=off");
  }

  /**
   * role -> pid, from the launcher's record ({@code $CAMFLOW_DATA/run/stack}: role, pid, start
   * time, marker).
   */
  private static Map<String, Long> recorded(Path data) throws IOException {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String line : Files.readAllLines(data.resolve("run/stack"))) {
      String[] columns = line.split("\t");
      pids.put(columns[0], Long.parseLong(columns[1]));
    }
    return pids;
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, Duration timeout) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command + " did not end within " + timeout.toSeconds() + " s:\n" + output);
    }
    return new Result(p.exitValue(), output);
  }

  private static void awaitPort(int port, Duration timeout, long launcher, Path log)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!listens(port)) {
      if (ProcessStates.hasEnded(launcher)) {
        fail(
            "./camflow up exited before "
                + PORTS.get(port)
                + " listened on "
                + port
                + "\n"
                + tail(log));
      }
      if (System.nanoTime() > deadline) {
        fail(
            PORTS.get(port)
                + " did not listen on "
                + port
                + " within "
                + timeout.toSeconds()
                + " s\n"
                + tail(log));
      }
      Thread.sleep(500);
    }
  }

  private static boolean ignoresSigint(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << (2 - 1)))
            != 0; // SIGINT is 2
      }
    }
    return false;
  }

  private static boolean listens(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String describe(ProcessHandle p) {
    String command = p.info().commandLine().orElse("?");
    return p.pid() + " " + (command.length() > 160 ? command.substring(0, 160) + "…" : command);
  }

  private static String tail(Path log) throws IOException {
    if (log == null || !Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return "--- "
        + log
        + " (end) ---\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** What the launcher itself said (not the services' logs), for the test's output. */
  private static String launcherLines(Path log) throws IOException {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(log)) {
      if (line.startsWith("camflow: ")) {
        out.append("  | ").append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static long secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000_000L;
  }
}
