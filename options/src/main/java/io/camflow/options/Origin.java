package io.camflow.options;

/**
 * Where an option's effective value came from: its default, a line of the file, or a variable.
 *
 * @param source which layer
 * @param where the file and line ({@code config/camflow.yaml:12}) or the variable; empty for a
 *     default
 */
public record Origin(Source source, String where) {

  /** The layers, weakest first: a later one overrides an earlier one. */
  public enum Source {
    DEFAULT,
    FILE,
    ENVIRONMENT
  }

  public static final Origin DEFAULT = new Origin(Source.DEFAULT, "");

  @Override
  public String toString() {
    return switch (source) {
      case DEFAULT -> "default";
      case FILE -> "file " + where;
      case ENVIRONMENT -> "environment " + where;
    };
  }
}
