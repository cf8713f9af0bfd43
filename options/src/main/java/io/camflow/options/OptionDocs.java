package io.camflow.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * docs/configuration.md's option tables, written from the definitions: one table per section of
 * {@link CamflowOptions} and one of {@link StreamOptions}, between marker comments. {@code
 * OptionDocsTest} fails when the file's tables differ; {@code ./camflow config --write-docs}
 * rewrites them.
 */
public final class OptionDocs {

  static final String BEGIN =
      "<!-- options:begin: generated from io.camflow.options.CamflowOptions; "
          + "./camflow config --write-docs rewrites it -->";
  static final String END = "<!-- options:end -->";
  static final String STREAM_BEGIN =
      "<!-- stream-options:begin: generated from io.camflow.options.StreamOptions; "
          + "./camflow config --write-docs rewrites it -->";
  static final String STREAM_END = "<!-- stream-options:end -->";

  private OptionDocs() {}

  /** The service options' tables, a {@code ####} heading per section. */
  public static String serviceTables() {
    StringBuilder out = new StringBuilder();
    String section = null;
    for (Option<?> o : CamflowOptions.all()) {
      if (!o.section().equals(section)) {
        section = o.section();
        out.append(out.isEmpty() ? "" : "\n")
            .append("#### `")
            .append(section)
            .append("`\n\n")
            .append(
                "| key | environment | takes | default | what it does |\n|---|---|---|---|---|\n");
      }
      out.append("| `")
          .append(o.key())
          .append("` | ")
          .append(env(o))
          .append(" | ")
          .append(cell(o.type().describe()))
          .append(" | ")
          .append(defaultCell(o))
          .append(" | ")
          .append(cell(o.doc()))
          .append(" |\n");
    }
    return out.toString();
  }

  /** The stream settings' table (keys as a stream writes them). */
  public static String streamTable() {
    StringBuilder out =
        new StringBuilder("| setting | takes | default | what it does |\n|---|---|---|---|\n");
    for (Option<?> o : StreamOptions.all()) {
      out.append("| `")
          .append(StreamOptions.streamKey(o))
          .append("` | ")
          .append(cell(o.type().describe()))
          .append(" | ")
          .append(defaultCell(o))
          .append(" | ")
          .append(cell(o.doc()))
          .append(" |\n");
    }
    return out.toString();
  }

  /** {@code markdown} with both generated parts replaced by what the definitions say. */
  public static String rewrite(String markdown) {
    String out = replace(markdown, BEGIN, END, serviceTables());
    return replace(out, STREAM_BEGIN, STREAM_END, streamTable());
  }

  private static String replace(String markdown, String begin, String end, String content) {
    int from = markdown.indexOf(begin);
    int to = markdown.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("the markers are missing: " + begin + " … " + end);
    }
    return markdown.substring(0, from + begin.length()) + "\n" + content + markdown.substring(to);
  }

  private static String env(Option<?> o) {
    if (o.env() == null) {
      return "";
    }
    List<String> old = o.legacy().stream().map(l -> "`" + l.env() + "`").toList();
    return "`" + o.env() + "`" + (old.isEmpty() ? "" : " (older: " + String.join(", ", old) + ")");
  }

  private static String defaultCell(Option<?> o) {
    if (o.secret() && o.defaultValue() != null) {
      return "(a secret)";
    }
    return o.defaultValue() == null ? cell(o.defaultText()) : "`" + cell(o.defaultText()) + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ");
  }

  /** Rewrites the tables in the file at {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
    Files.writeString(file, rewrite(Files.readString(file)));
  }
}
