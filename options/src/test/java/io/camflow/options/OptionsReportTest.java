package io.camflow.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsReportTest {

  @Test
  void showsEveryOptionWithItsValueAndSourceSecretsMasked(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("camflow.yaml");
    Files.writeString(file, "delivery:\n  http:\n    writeTimeout: 45s\n");
    String secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0xMjM0";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        OptionsReport.run(
            Map.of(
                "CAMFLOW_CONFIG",
                file.toString(),
                "CAMFLOW_HTTP_PORT",
                "9090",
                "CAMFLOW_STREAM_TOKEN_KEY",
                secret),
            false,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    String report = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status);
    assertEquals(CamflowOptions.all().size() + 1, report.lines().count());
    assertTrue(
        report
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "delivery\\.http\\.port +CAMFLOW_HTTP_PORT +9090 +environment CAMFLOW_HTTP_PORT")),
        report);
    assertTrue(
        report
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "delivery\\.http\\.writeTimeout +CAMFLOW_HTTP_WRITE_TIMEOUT +45s +file .*camflow.yaml:3")),
        report);
    assertTrue(
        report
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "delivery\\.http\\.readTimeout +CAMFLOW_HTTP_READ_TIMEOUT +10s +default")),
        report);
    assertTrue(
        report
            .lines()
            .anyMatch(
                l ->
                    l.matches(
                        "auth\\.streamTokenKey +CAMFLOW_STREAM_TOKEN_KEY +\\(set, hidden\\) +environment .*")),
        report);
    assertFalse(report.contains(secret), report);
  }

  @Test
  void anInvalidConfigurationListsEveryProblemAndExits2() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        OptionsReport.run(
            Map.of("CAMFLOW_HTTP_PORT", "http", "CAMFLOW_WEBRTC_PORT", "-1"),
            false,
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status);
    assertTrue(text.startsWith("2 problems in camflow's configuration:"), text);
    assertTrue(
        text.contains(
            "CAMFLOW_HTTP_PORT: delivery.http.port: must be a port, 1 to 65535, not 'http'"),
        text);
  }
}
