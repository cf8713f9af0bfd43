package io.camflow.ingest.config;

import io.camflow.options.CamflowOptions;
import io.camflow.options.EnvReferences;
import io.camflow.options.FileValues;
import io.camflow.options.InvalidSettingsException;
import io.camflow.options.Problem;
import io.camflow.options.Settings;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Loads {@code camflow.yaml}: reads the file, composes the YAML node tree (which keeps line numbers
 * and duplicate keys), checks everything and returns the typed configuration, or throws {@link
 * InvalidConfigException} listing every problem. See {@code docs/configuration.md}.
 */
public final class ConfigLoader {

  /** Where {@code ./camflow up} looks, relative to the working directory. */
  public static final Path DEFAULT_FILE = Path.of("config", "camflow.yaml");

  private ConfigLoader() {}

  /** Loads {@code file}, resolving {@code ${env:NAME}} from this process's environment. */
  public static CamflowConfig load(Path file) {
    return load(file, io.camflow.options.Environment.variables());
  }

  /** Loads {@code file}, resolving {@code ${env:NAME}} from {@code env}. */
  public static CamflowConfig load(Path file, Map<String, String> env) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw fileError(
          name, "file not found (working directory: " + Path.of("").toAbsolutePath() + ")");
    } catch (AccessDeniedException e) {
      throw fileError(name, "cannot read the file: permission denied");
    } catch (CharacterCodingException e) {
      throw fileError(name, "not UTF-8 text; save the file as UTF-8");
    } catch (IOException e) {
      throw fileError(
          name,
          Files.isDirectory(file)
              ? "is a directory, not a file"
              : "cannot read the file: " + e.getClass().getSimpleName());
    }
    return parse(text, name, env);
  }

  /**
   * Checks {@code yaml} as if it were the content of a file called {@code fileName} (which only
   * names it in errors).
   */
  public static CamflowConfig parse(String yaml, String fileName, Map<String, String> env) {
    ConfigErrors errors = new ConfigErrors(fileName);
    EnvReferences references = new EnvReferences(env);
    Optional<Node> root =
        compose(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml, fileName, errors);
    if (root.isEmpty() || YamlMap.isNull(root.get())) {
      if (errors.isEmpty()) {
        errors.addFileError(
            0,
            "the file is empty; it needs at least cameras:, "
                + "e.g. cameras: {demo: {streams: {main: {url: rtsp://camera/stream}}}}");
      }
      throw new InvalidConfigException(errors.sorted());
    }
    errors.addSecrets(SecretScan.collect(root.get(), references));
    // the option sections (kafka:, limits:, delivery:, …) and the environment: the option
    // registry's
    String bootstrapServers = CamflowOptions.KAFKA_BOOTSTRAP_SERVERS.defaultValue();
    Limits limits = Limits.DEFAULTS;
    try {
      Settings settings = Settings.resolve(FileValues.of(root.get(), fileName, env), env);
      bootstrapServers = settings.get(CamflowOptions.KAFKA_BOOTSTRAP_SERVERS);
      limits = new Limits(settings.get(CamflowOptions.MAX_CAMERA_CONNECTIONS));
    } catch (InvalidSettingsException e) {
      for (Problem p : e.problems()) {
        errors.add(
            p.option(), p.line(), p.line() > 0 ? p.message() : p.where() + ": " + p.message());
      }
    }
    CamflowConfig config =
        new ConfigReader(errors, references).read(root.get(), bootstrapServers, limits);
    if (config == null || !errors.isEmpty()) {
      throw new InvalidConfigException(errors.sorted());
    }
    return config;
  }

  private static Optional<Node> compose(String yaml, String fileName, ConfigErrors errors) {
    LoadSettings settings =
        LoadSettings.builder().setLabel(fileName).setParseComments(false).build();
    try {
      return new Compose(settings).composeString(yaml);
    } catch (MarkedYamlEngineException e) {
      errors.addFileError(YamlSyntaxError.line(e), YamlSyntaxError.message(e));
    } catch (ReaderException e) {
      errors.addFileError(
          lineOf(yaml, e.getPosition()),
          String.format(
              "character U+%04X is not allowed in YAML; remove it or write it as an escape in double quotes",
              e.getCodePoint()));
    } catch (YamlEngineException e) {
      errors.addFileError(0, "cannot read as YAML: " + YamlSyntaxError.sanitize(e.getMessage()));
    }
    return Optional.empty();
  }

  /** The 1-based line of the {@code position}-th code point. */
  private static int lineOf(String text, int position) {
    int line = 1;
    int[] codePoints = text.codePoints().limit(Math.max(0, position)).toArray();
    for (int c : codePoints) {
      if (c == '\n') {
        line++;
      }
    }
    return line;
  }

  private static InvalidConfigException fileError(String file, String message) {
    return new InvalidConfigException(java.util.List.of(new ConfigError(file, "", 0, message)));
  }
}
