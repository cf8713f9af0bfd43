package io.camflow.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Settings come through the registry: no code of camflow's but {@link Environment} reads the
 * process's environment, so no service grows a variable the registry, the docs and {@code ./camflow
 * config} do not know.
 */
class EnvironmentReadsTest {

  static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @Test
  void onlyTheRegistryReadsTheEnvironment() throws IOException {
    List<String> readers;
    try (Stream<Path> files = Files.walk(REPOSITORY)) {
      readers =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(
                  f ->
                      !f.toString().contains("/target/")
                          && !f.toString().contains("/node_modules/"))
              .filter(f -> !f.startsWith(REPOSITORY.resolve("options/src/main")))
              .filter(EnvironmentReadsTest::readsTheEnvironment)
              .map(f -> REPOSITORY.relativize(f).toString())
              .sorted()
              .toList();
    }
    assertEquals(
        List.of(), readers, "read settings through io.camflow.options.Settings (or Environment)");
    assertTrue(
        readsTheEnvironment(
            REPOSITORY.resolve("options/src/main/java/io/camflow/options/Environment.java")),
        "the check looks for what Environment does");
  }

  private static boolean readsTheEnvironment(Path file) {
    try {
      return Files.readString(file)
          .contains("System.getenv" + "("); // split, or this file would match
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
