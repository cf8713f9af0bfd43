package io.camflow.options;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * camflow's effective configuration: every option of {@link CamflowOptions} with its value and
 * where it came from, layered built-in default &lt; {@code config/camflow.yaml} &lt; environment.
 * Resolving checks everything and throws {@link InvalidSettingsException} listing every problem, so
 * one run shows them all; a secret's value is never quoted.
 */
public final class Settings {

  /** The file every service reads unless {@code CAMFLOW_CONFIG} names another. */
  public static final Path DEFAULT_FILE = Path.of("config", "camflow.yaml");

  private static final Pattern WHOLE = Pattern.compile("\\d{1,15}");

  private record Entry(Object value, Origin origin) {}

  private final Map<Option<?>, Entry> entries;
  private final Map<String, String> environment;

  private Settings(Map<Option<?>, Entry> entries, Map<String, String> environment) {
    this.entries = entries;
    this.environment = Map.copyOf(environment);
  }

  /**
   * What a service runs with: the file {@code CAMFLOW_CONFIG} names (else {@code
   * config/camflow.yaml} if it exists) under this process's environment.
   */
  public static Settings load() {
    return load(Environment.variables());
  }

  /** As {@link #load()} with the environment given. */
  public static Settings load(Map<String, String> env) {
    String named = env.get(CamflowOptions.CONFIG_FILE_ENV);
    Path file = named == null || named.isBlank() ? DEFAULT_FILE : Path.of(named.strip());
    if ((named == null || named.isBlank()) && !Files.exists(file)) {
      return resolve(FileValues.none(), env);
    }
    return resolve(read(file, env), env);
  }

  /** From the environment and the defaults only (no file). */
  public static Settings fromEnvironment(Map<String, String> env) {
    return resolve(FileValues.none(), env);
  }

  /** Reads {@code file}'s option sections; a file that cannot be read is a problem. */
  public static FileValues read(Path file, Map<String, String> env) {
    String name = file.toString();
    try {
      return FileValues.parse(Files.readString(file), name, env);
    } catch (NoSuchFileException e) {
      return failed(
          name, "file not found (working directory: " + Path.of("").toAbsolutePath() + ")");
    } catch (CharacterCodingException e) {
      return failed(name, "not UTF-8 text; save the file as UTF-8");
    } catch (IOException e) {
      return failed(
          name,
          Files.isDirectory(file)
              ? "is a directory, not a file"
              : "cannot read the file: " + e.getClass().getSimpleName());
    }
  }

  private static FileValues failed(String name, String message) {
    FileValues v = FileValues.parse("", name, Map.of());
    v.problems().add(new Problem(name, 0, "", message));
    return v;
  }

  /** The options of {@code file} under {@code env}, over the defaults. */
  public static Settings resolve(FileValues file, Map<String, String> env) {
    List<Problem> problems = new ArrayList<>(file.problems());
    Map<Option<?>, Entry> entries = new HashMap<>();
    for (Option<?> o : CamflowOptions.all()) {
      entries.put(o, resolve(o, file, env, problems));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return new Settings(entries, env);
  }

  private static <T> Entry resolve(
      Option<T> o, FileValues file, Map<String, String> env, List<Problem> problems) {
    Entry chosen = new Entry(o.defaultValue(), Origin.DEFAULT);
    FileValues.Value v = file.values().get(o.key());
    if (v != null) {
      String where = file.where(v);
      T value = parse(o, v.text(), where, v.line(), problems);
      if (value != null) {
        chosen = new Entry(value, new Origin(Origin.Source.FILE, where));
      }
    }
    for (Option.Legacy legacy : o.legacy()) {
      String text = env.get(legacy.env());
      if (text != null && !text.isBlank() && (o.env() == null || blank(env.get(o.env())))) {
        String t = text.strip();
        if (!WHOLE.matcher(t).matches()) {
          problems.add(
              new Problem(
                  legacy.env(),
                  0,
                  o.key(),
                  "must be a whole number of "
                      + legacy.unit()
                      + " (or set "
                      + o.env()
                      + " to a duration such as 10s)"));
          continue;
        }
        T value = parse(o, t + legacy.unit(), legacy.env(), 0, problems);
        if (value != null) {
          chosen =
              new Entry(
                  value,
                  new Origin(
                      Origin.Source.ENVIRONMENT,
                      legacy.env() + " (older name of " + o.env() + ")"));
        }
      }
    }
    if (o.env() != null && !blank(env.get(o.env()))) {
      T value = parse(o, env.get(o.env()), o.env(), 0, problems);
      if (value != null) {
        chosen = new Entry(value, new Origin(Origin.Source.ENVIRONMENT, o.env()));
      }
    }
    return chosen;
  }

  private static <T> T parse(
      Option<T> o, String text, String where, int line, List<Problem> problems) {
    try {
      return o.type().parse(text.strip());
    } catch (IllegalArgumentException e) {
      problems.add(
          new Problem(
              where,
              line,
              o.key(),
              e.getMessage()
                  + (o.hint() == null ? "" : " (" + o.hint() + ")")
                  + (o.secret() ? " (value hidden: a secret)" : ", not '" + text.strip() + "'")));
      return null;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The option's effective value; null when it is unset and has no default. */
  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    Entry e = entries.get(option);
    if (e == null) {
      throw new IllegalArgumentException(option.key() + " is not one of camflow's options");
    }
    return (T) e.value();
  }

  /** The option's value, empty when unset. */
  public <T> Optional<T> find(Option<T> option) {
    return Optional.ofNullable(get(option));
  }

  /** Where the option's value came from. */
  public Origin origin(Option<?> option) {
    return entries.get(option).origin();
  }

  /** Whether something (the file or the environment) set the option. */
  public boolean isSet(Option<?> option) {
    return origin(option).source() != Origin.Source.DEFAULT;
  }

  /**
   * The environment these settings were read under, for what is not an option of camflow's (a
   * container's {@code HOSTNAME}) and for child processes.
   */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * These settings with {@code option} set to {@code value}, as if the environment said so (tests,
   * launchers).
   */
  public <T> Settings with(Option<T> option, T value) {
    Map<Option<?>, Entry> copy = new HashMap<>(entries);
    copy.put(option, new Entry(value, new Origin(Origin.Source.ENVIRONMENT, "(set in code)")));
    return new Settings(copy, environment);
  }
}
