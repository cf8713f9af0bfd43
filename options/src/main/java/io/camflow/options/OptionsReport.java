package io.camflow.options;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./camflow config}: every option's effective value and where it came from (default, a line
 * of the file, a variable), secrets masked. An invalid configuration prints every problem and exits
 * 2, what {@code ./camflow up} does before it starts anything.
 */
public final class OptionsReport {

  private OptionsReport() {}

  /** The report's lines: key, environment variable, value, source; aligned. */
  public static List<String> lines(Settings settings) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"OPTION", "VARIABLE", "VALUE", "FROM"});
    for (Option<?> o : CamflowOptions.all()) {
      rows.add(
          new String[] {
            o.key(),
            o.env() == null ? "" : o.env(),
            shown(settings, o),
            settings.origin(o).toString()
          });
    }
    int[] width = new int[4];
    for (String[] r : rows) {
      for (int i = 0; i < 4; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      out.add(
          String.format(
                  "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s", (Object[]) r)
              .stripTrailing());
    }
    return out;
  }

  private static <T> String shown(Settings settings, Option<T> o) {
    T value = settings.get(o);
    if (value == null) {
      return "(unset: " + o.defaultText() + ")";
    }
    return o.secret() ? "(set, hidden)" : o.type().format(value);
  }

  /** Prints the report, or the problems (exit status 2). {@code --check}: only the problems. */
  public static void main(String[] args) throws Exception {
    boolean check = List.of(args).contains("--check");
    if (List.of(args).contains("--write-docs")) {
      OptionDocs.main(new String[] {"docs/configuration.md"});
      return;
    }
    System.exit(run(Environment.variables(), check, System.out, System.err));
  }

  static int run(Map<String, String> env, boolean check, PrintStream out, PrintStream err) {
    Settings settings;
    try {
      settings = Settings.load(env);
    } catch (InvalidSettingsException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (!check) {
      lines(settings).forEach(out::println);
    }
    return 0;
  }
}
