package io.camflow.options;

/**
 * One thing wrong with the configuration.
 *
 * @param where the file and line ({@code config/camflow.yaml:12}) or the variable's name
 * @param line the line in the file; 0 for a variable or the file as a whole
 * @param option the option's key, or the key that was not understood
 * @param message what is wrong and what is expected; never a secret's value
 */
public record Problem(String where, int line, String option, String message) {

  @Override
  public String toString() {
    return where + ": " + option + ": " + message;
  }
}
