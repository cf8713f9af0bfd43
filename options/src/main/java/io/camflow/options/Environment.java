package io.camflow.options;

import java.util.Map;

/**
 * The process's environment variables. The one place camflow reads them: every service and tool
 * takes its settings through {@link Settings}, which layers these over the file and the defaults.
 */
public final class Environment {

  private Environment() {}

  /** This process's environment, unmodifiable. */
  public static Map<String, String> variables() {
    return System.getenv();
  }
}
