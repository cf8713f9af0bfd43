package io.camflow.ingest.config;

import java.util.List;

/**
 * A configuration file camflow refuses to start with; carries every problem found, not just the
 * first.
 */
public final class InvalidConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  public InvalidConfigException(List<ConfigError> errors) {
    super(describe(errors));
    this.errors = List.copyOf(errors);
  }

  /** In file order; never empty. */
  public List<ConfigError> errors() {
    return errors;
  }

  private static String describe(List<ConfigError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid configuration has at least one error");
    }
    StringBuilder out =
        new StringBuilder("invalid configuration (")
            .append(errors.size())
            .append(errors.size() == 1 ? " error" : " errors")
            .append("):");
    for (ConfigError e : errors) {
      out.append('\n').append(e);
    }
    return out.toString();
  }
}
