package io.camflow.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  static Settings fromYaml(String yaml, Map<String, String> env) {
    return Settings.resolve(FileValues.parse(yaml, "camflow.yaml", env), env);
  }

  @Test
  void defaultsWhenNothingIsSet() {
    Settings s = Settings.fromEnvironment(Map.of());
    assertEquals(8080, s.get(CamflowOptions.HTTP_PORT));
    assertEquals(Duration.ofNanos(333_340_000), s.get(CamflowOptions.PART_TARGET));
    assertEquals(Duration.ofSeconds(60), s.get(CamflowOptions.HTTP_IDLE_TIMEOUT));
    assertNull(s.get(CamflowOptions.STREAM_TOKEN_KEY));
    assertEquals(Origin.DEFAULT, s.origin(CamflowOptions.HTTP_PORT));
    assertFalse(s.isSet(CamflowOptions.HTTP_PORT));
  }

  @Test
  void theEnvironmentOverridesTheFileWhichOverridesTheDefault() {
    String yaml =
        """
        kafka:
          bootstrapServers: broker:9092
        delivery:
          http:
            port: 9000
            idleTimeout: 2m
        """;
    Settings s = fromYaml(yaml, Map.of("CAMFLOW_HTTP_PORT", "9100"));
    assertEquals(9100, s.get(CamflowOptions.HTTP_PORT));
    assertEquals(
        new Origin(Origin.Source.ENVIRONMENT, "CAMFLOW_HTTP_PORT"),
        s.origin(CamflowOptions.HTTP_PORT));
    assertEquals(Duration.ofMinutes(2), s.get(CamflowOptions.HTTP_IDLE_TIMEOUT));
    assertEquals(
        new Origin(Origin.Source.FILE, "camflow.yaml:6"),
        s.origin(CamflowOptions.HTTP_IDLE_TIMEOUT));
    assertEquals("broker:9092", s.get(CamflowOptions.KAFKA_BOOTSTRAP_SERVERS));
  }

  @Test
  void theFileReadsEnvironmentReferences() {
    Settings s =
        fromYaml(
            "kafka:\n  bootstrapServers: ${env:BROKERS:-localhost:9092}\n",
            Map.of("BROKERS", "k:1"));
    assertEquals("k:1", s.get(CamflowOptions.KAFKA_BOOTSTRAP_SERVERS));
  }

  @Test
  void durationsAreDurationsEverywhere() {
    Settings s =
        Settings.fromEnvironment(Map.of("CAMFLOW_PART_TARGET", "250ms", "CAMFLOW_IDLE_STOP", "1m"));
    assertEquals(Duration.ofMillis(250), s.get(CamflowOptions.PART_TARGET));
    assertEquals(Duration.ofMinutes(1), s.get(CamflowOptions.IDLE_STOP));
  }

  @Test
  void olderVariableNamesWithTheirUnitAreStillRead() {
    Settings s =
        Settings.fromEnvironment(
            Map.of(
                "CAMFLOW_PART_TARGET_US",
                "500000",
                "CAMFLOW_HTTP_IDLE_TIMEOUT_MS",
                "1500",
                "CAMFLOW_SESSION_TOKEN_GRACE_S",
                "5"));
    assertEquals(Duration.ofMillis(500), s.get(CamflowOptions.PART_TARGET));
    assertEquals(Duration.ofMillis(1500), s.get(CamflowOptions.HTTP_IDLE_TIMEOUT));
    assertEquals(Duration.ofSeconds(5), s.get(CamflowOptions.SESSION_TOKEN_GRACE));
    assertTrue(s.origin(CamflowOptions.PART_TARGET).where().startsWith("CAMFLOW_PART_TARGET_US"));
    // the new name wins
    assertEquals(
        Duration.ofSeconds(2),
        Settings.fromEnvironment(
                Map.of("CAMFLOW_HTTP_IDLE_TIMEOUT_MS", "1500", "CAMFLOW_HTTP_IDLE_TIMEOUT", "2s"))
            .get(CamflowOptions.HTTP_IDLE_TIMEOUT));
  }

  @Test
  void everyProblemIsListedAtOnce() {
    String yaml =
        """
        delivery:
          http:
            prot: 9000
            idleTimeout: 10
        webrtc:
          port: 70000
        delivry: {}
        """;
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class,
            () ->
                fromYaml(yaml, Map.of("CAMFLOW_WEBRTC", "maybe", "CAMFLOW_IDLE_STOP_MS", "soon")));
    List<String> lines = e.problems().stream().map(Problem::toString).toList();
    assertEquals(6, lines.size(), String.join("\n", lines));
    assertTrue(
        lines.contains(
            "camflow.yaml:3: delivery.http.prot: unknown option (did you mean 'port'?); "
                + "delivery.http: takes port, host, idleTimeout, readTimeout, writeTimeout, corsOrigins"),
        e.getMessage());
    assertTrue(
        lines.contains(
            "camflow.yaml:4: delivery.http.idleTimeout: has no unit; write e.g. 10s "
                + "(units: ms, s, m, h or d), not '10'"),
        e.getMessage());
    assertTrue(
        lines.contains(
            "camflow.yaml:6: webrtc.port: must be a port, 1 to 65535, or 0 (a free one), not '70000'"),
        e.getMessage());
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "camflow.yaml:7: delivry: unknown section (did you mean "
                            + "'delivery'?)")),
        e.getMessage());
    assertTrue(
        lines.contains("CAMFLOW_WEBRTC: webrtc.enabled: must be on or off, not 'maybe'"),
        e.getMessage());
    assertTrue(
        lines.contains(
            "CAMFLOW_IDLE_STOP_MS: delivery.idleStop: must be a whole number of ms "
                + "(or set CAMFLOW_IDLE_STOP to a duration such as 10s)"),
        e.getMessage());
  }

  @Test
  void aSecretIsNeverQuoted() {
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class,
            () ->
                Settings.fromEnvironment(
                    Map.of("CAMFLOW_STREAM_TOKEN_KEY", "hunter2-not-base64!")));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains(
                "CAMFLOW_STREAM_TOKEN_KEY: auth.streamTokenKey: must be base64 (value hidden"),
        e.getMessage());
  }

  @Test
  void perProcessOptionsComeFromTheEnvironmentOnly() {
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class,
            () -> fromYaml("process:\n  instanceId: a\n", Map.of()));
    assertEquals(
        "camflow.yaml:2: process.instanceId: one value per process: set CAMFLOW_INSTANCE_ID in the "
            + "environment instead",
        e.problems().get(0).toString());
  }

  @Test
  void cameraSectionsAreLeftToIngest() {
    Settings s =
        fromYaml(
            "cameras:\n  demo: {streams: {main: {url: rtsp://x}}}\ndefaults:\n  mode: always\n",
            Map.of());
    assertEquals(8080, s.get(CamflowOptions.HTTP_PORT));
  }

  @Test
  void loadsTheNamedFileAndRefusesAMissingOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "delivery:\n  idleStop: 45s\n");
    assertEquals(
        Duration.ofSeconds(45),
        Settings.load(Map.of("CAMFLOW_CONFIG", file.toString())).get(CamflowOptions.IDLE_STOP));
    InvalidSettingsException e =
        assertThrows(
            InvalidSettingsException.class,
            () -> Settings.load(Map.of("CAMFLOW_CONFIG", dir.resolve("nope.yaml").toString())));
    assertTrue(e.getMessage().contains("file not found"), e.getMessage());
  }

  @Test
  void everyOptionHasADocAndAVariableOrIsAFileOption() {
    for (Option<?> o : CamflowOptions.all()) {
      assertFalse(o.doc().isBlank(), o.key());
      assertTrue(o.env() != null, o.key() + " has an environment variable");
      if (o.defaultValue() != null) {
        assertEquals(o.defaultValue().getClass(), parsedDefault(o).getClass(), o.key());
      }
    }
  }

  private static <T> T parsedDefault(Option<T> o) {
    return o.type().parse(o.type().format(o.defaultValue()));
  }
}
