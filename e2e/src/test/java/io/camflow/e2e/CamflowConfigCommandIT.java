package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./camflow config} as a user runs it, on the classes the build made ({@code
 * CAMFLOW_SKIP_BUILD=1}): every option with its effective value and where it came from, secrets
 * masked; an invalid configuration lists every problem (exit 2), and {@code ./camflow up} refuses
 * it before it starts anything.
 */
class CamflowConfigCommandIT {

  static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0xMjM0";

  @TempDir Path dir;

  record Run(int status, String out) {}

  Run camflow(Map<String, String> env, String... args) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(HOME.resolve("camflow").toString()),
                        java.util.Arrays.stream(args))
                    .toList())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CAMFLOW_"));
    pb.environment().put("CAMFLOW_SKIP_BUILD", "1");
    pb.environment().put("CAMFLOW_DATA", dir.resolve("data").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./camflow finishes");
    return new Run(p.exitValue(), out);
  }

  @Test
  void showsEveryOptionWithItsSourceAndMasksSecrets() throws Exception {
    Path file = dir.resolve("camflow.yaml");
    Files.writeString(file, "delivery:\n  http:\n    port: 9100\ncameras: {}\n");
    Run r =
        camflow(
            Map.of(
                "CAMFLOW_CONFIG",
                file.toString(),
                "CAMFLOW_STREAM_TOKEN_KEY",
                SECRET,
                "CAMFLOW_IDLE_STOP",
                "45s"),
            "config");
    assertEquals(0, r.status(), r.out());
    List<String> lines = r.out().lines().filter(l -> l.matches("[a-z]+\\.[A-Za-z.]+ .*")).toList();
    assertEquals(io.camflow.options.CamflowOptions.all().size(), lines.size(), r.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "delivery\\.http\\.port +CAMFLOW_HTTP_PORT +9100 +file .*camflow.yaml:3")),
        r.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "delivery\\.idleStop +CAMFLOW_IDLE_STOP +45s +environment CAMFLOW_IDLE_STOP")),
        r.out());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("delivery\\.https\\.port +CAMFLOW_HTTPS_PORT +8443 +default")),
        r.out());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "auth\\.streamTokenKey +CAMFLOW_STREAM_TOKEN_KEY +\\(set, hidden\\) .*")),
        r.out());
    assertFalse(r.out().contains(SECRET), "the secret is not shown");
  }

  @Test
  void anInvalidConfigurationIsListedAndUpStartsNothing() throws Exception {
    Path file = dir.resolve("camflow.yaml");
    Files.writeString(file, "delivery:\n  http:\n    prot: 9100\ncameras: {}\n");
    Map<String, String> env =
        Map.of("CAMFLOW_CONFIG", file.toString(), "CAMFLOW_WEBRTC_PORT", "eighty");
    Run config = camflow(env, "config");
    assertEquals(2, config.status(), config.out());
    assertTrue(config.out().contains("2 problems in camflow's configuration:"), config.out());
    assertTrue(
        config
            .out()
            .contains(file + ":3: delivery.http.prot: unknown option (did you mean 'port'?)"),
        config.out());
    assertTrue(
        config.out().contains("CAMFLOW_WEBRTC_PORT: webrtc.port: must be a port"), config.out());

    Run up = camflow(env, "up", "--demo");
    assertTrue(up.status() != 0, up.out());
    assertTrue(up.out().contains("delivery.http.prot: unknown option"), up.out());
    assertTrue(up.out().contains("nothing was started"), up.out());
    assertFalse(Files.exists(dir.resolve("data/kafka")), "no broker was started: " + up.out());
  }
}
