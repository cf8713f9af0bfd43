package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Camera passwords never show in error text or in any record's toString(). */
class SecretLeakTest {

  private static final String PASSWORD = "hunter2";
  private static final String ENV_PASSWORD = "env-secret-value";
  private static final Map<String, String> ENV =
      Map.of(
          "FRONTDOOR_PASSWORD",
          ENV_PASSWORD,
          "FRONTDOOR_URL",
          "rtsp://admin:" + ENV_PASSWORD + "@cam:99999/stream");

  static Stream<String> sampleFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(ConfigFiles.DIR))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  private static void assertNoSecret(String text) {
    for (String secret : List.of(PASSWORD, ENV_PASSWORD, "s3cr@t", "s3cr%40t")) {
      assertFalse(text.contains(secret), () -> "leaks " + secret + ": " + text);
    }
  }

  private static void assertNoSecretIn(InvalidConfigException e) {
    assertNoSecret(e.getMessage());
    assertNoSecret(e.toString());
    for (ConfigError error : e.errors()) {
      assertNoSecret(error.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("sampleFiles")
  void noSampleFileLeaksIntoErrors(String name) {
    try {
      CamflowConfig config = ConfigFiles.load(name, ENV);
      assertNoSecret(config.toString());
    } catch (InvalidConfigException e) {
      assertNoSecretIn(e);
    }
  }

  @Test
  void recordsPrintNoPassword() {
    CamflowConfig config = ConfigFiles.load("valid-full.yaml", ENV);
    assertNoSecret(config.toString());
    for (CameraConfig camera : config.cameras()) {
      assertNoSecret(camera.toString());
      for (StreamConfig stream : camera.streams()) {
        assertNoSecret(stream.toString());
        assertNoSecret(stream.url().toString());
      }
    }
    StreamConfig main = config.stream("frontdoor/main").orElseThrow();
    assertTrue(main.toString().contains("password=****"), main.toString());
    assertEquals(ENV_PASSWORD, main.password().reveal());
    assertEquals("s3cr@t", config.stream("frontdoor/sub").orElseThrow().password().reveal());
  }

  /** Broken YAML around a password: snakeyaml's own messages would print the line. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "password: hunter2: oops",
        "password: \"hunter2",
        "password: 'hunter2",
        "password: *hunter2",
        "password: \"\\qhunter2\"",
        "password: \"\\x4Zhunter2\"",
        "password: \"hunter2\\u12\"",
        "password: !hunter2!x y",
        "password: @hunter2",
        "password: `hunter2",
        "password: [hunter2",
        "password: {hunter2",
        "password: \"hunter2\" trailing",
        "password: &hunter2 x\n        mode: *hunter2x",
        "password: hunter2\n       mode: always",
        "password: hunter2\n      - always",
        "password: >hunter2\n          x",
        "password: |9hunter2\n          x",
        "password: hunter2\n---\nmore: doc",
        "password: hunter2\n\tmode: always",
        "password: hunter2\u0007",
      })
  void yamlSyntaxErrorsQuoteNothing(String line) {
    String yaml =
        """
        cameras:
          frontdoor:
            streams:
              main:
                url: rtsp://cam/stream
                username: admin
                %s
        """
            .formatted(line);
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "camflow.yaml", Map.of()));
    assertNoSecretIn(e);
    assertTrue(e.errors().get(0).line() >= 7, e::getMessage);
  }

  /** A password where a value is quoted back in errors: it is hidden, not shown. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "mode: hunter2",
        "transport: hunter2",
        "idleGrace: hunter2",
        "readTimeout: 10hunter2",
        "backoff: {jitter: hunter2}",
        "username: ${hunter2}\n        password: x",
        "password: ${hunter2}",
        "password: pre${env:NOPE}hunter2",
        "password: [hunter2]",
        "password: {hunter2: x}",
        "pasword: hunter2",
      })
  void valuesContainingThePasswordAreNotQuoted(String option) {
    String yaml =
        """
        cameras:
          frontdoor:
            streams:
              main:
                url: rtsp://admin:hunter2@cam/stream
                %s
          other:
            streams:
              main: {url: rtsp://cam2/stream, username: admin, password: hunter2}
        """
            .formatted(option);
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "camflow.yaml", Map.of()));
    assertNoSecretIn(e);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "url: rtsp://admin:hunter2@cam:99999/stream",
        "url: rtsp://admin:hunter2@/stream",
        "url: rtsp://admin:hunter2@cam/my stream",
        "url: rtsp://admin:hunter2%zz@cam/stream",
        "url: rtsp:/admin:hunter2@cam/stream",
        "url: admin:hunter2@cam/stream",
        "url: hunter2",
        "url: ${env:FRONTDOOR_URL}",
        "url: rtsp://admin:hunter2@cam/stream\n        password: other",
        "url: [rtsp://admin:hunter2@cam/stream]",
      })
  void brokenUrlsWithCredentialsAreNotQuoted(String option) {
    String yaml =
        """
        cameras:
          frontdoor:
            streams:
              main:
                %s
        """
            .formatted(option);
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "camflow.yaml", ENV));
    assertNoSecretIn(e);
  }

  @Test
  void misplacedPasswords() {
    List<ConfigError> errors = ConfigFiles.errors("misplaced-password.yaml");
    assertEquals(4, errors.size(), errors::toString);
    assertEquals(
        new ConfigError(
            ConfigFiles.DIR + "misplaced-password.yaml",
            "cameras.garage.streams.main.mode",
            13,
            "unknown mode (value hidden); expected always or on-demand"),
        errors.get(3));
    errors.forEach(error -> assertNoSecret(error.toString()));
  }
}
