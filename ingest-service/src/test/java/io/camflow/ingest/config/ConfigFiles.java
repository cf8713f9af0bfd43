package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The sample files under src/test/resources/config/ and assertions on what loading them reports.
 */
final class ConfigFiles {

  static final String DIR = "src/test/resources/config/";

  private ConfigFiles() {}

  static Path path(String name) {
    return Path.of(DIR + name);
  }

  static CamflowConfig load(String name, Map<String, String> env) {
    return ConfigLoader.load(path(name), env);
  }

  static List<ConfigError> errors(String name, Map<String, String> env) {
    return assertThrows(InvalidConfigException.class, () -> load(name, env)).errors();
  }

  static List<ConfigError> errors(String name) {
    return errors(name, Map.of());
  }

  /** Exactly one error, at {@code field} on {@code line}, saying {@code message}. */
  static void assertOnlyError(String name, String field, int line, String message) {
    assertEquals(List.of(new ConfigError(DIR + name, field, line, message)), errors(name));
  }
}
