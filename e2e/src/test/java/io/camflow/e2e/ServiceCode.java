package io.camflow.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The code a camflow service runs: its module's main sources and those of the camflow modules it
 * depends on at run time (read from the POMs), plus files mounted into its container (config,
 * routes). Answers whether that code reads an environment variable by name, so a configuration key
 * renamed in the code but not in compose.yaml fails {@link ComposeFileTest}.
 */
final class ServiceCode {

  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern CAMFLOW_ARTIFACT =
      Pattern.compile("<artifactId>camflow-([a-z-]+)</artifactId>");

  private final Set<String> modules;
  private final List<String> texts = new ArrayList<>();

  private ServiceCode(Set<String> modules) {
    this.modules = modules;
  }

  /**
   * The code of {@code module} (a directory of the repository, e.g. {@code ingest-service}) and
   * {@code mounted} files.
   */
  static ServiceCode of(Path repository, String module, List<Path> mounted) throws IOException {
    Set<String> modules = new LinkedHashSet<>();
    collectModules(repository, module, modules);
    ServiceCode code = new ServiceCode(modules);
    for (String m : modules) {
      code.readTree(repository.resolve(m).resolve("src/main"));
    }
    for (Path p : mounted) {
      code.readTree(p);
    }
    return code;
  }

  Set<String> modules() {
    return modules;
  }

  /**
   * True when some source names the variable as a Java string literal or a {@code ${env:NAME}}
   * reference.
   */
  boolean reads(String variable) {
    String literal = "\"" + variable + "\"";
    String reference = "${env:" + variable;
    return texts.stream().anyMatch(t -> t.contains(literal) || t.contains(reference));
  }

  private static void collectModules(Path repository, String module, Set<String> into)
      throws IOException {
    if (!into.add(module)) {
      return;
    }
    String pom = Files.readString(repository.resolve(module).resolve("pom.xml"));
    Matcher dependency = DEPENDENCY.matcher(pom);
    while (dependency.find()) {
      String d = dependency.group(1);
      Matcher artifact = CAMFLOW_ARTIFACT.matcher(d);
      if (artifact.find()
          && !d.contains("<scope>test</scope>")
          && !d.contains("<optional>true</optional>")) {
        collectModules(repository, artifact.group(1), into);
      }
    }
  }

  private void readTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                try {
                  texts.add(Files.readString(f));
                } catch (java.nio.charset.MalformedInputException binary) {
                  // not text (an image, a font): names no variable
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
