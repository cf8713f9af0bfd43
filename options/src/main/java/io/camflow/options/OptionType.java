package io.camflow.options;

/**
 * What values an option takes: how its text (from the file or the environment) is read and checked,
 * how a value is written back, and what the docs say about it. {@link Types} has the ones camflow
 * uses.
 *
 * @param <T> the option's value
 */
public interface OptionType<T> {

  /**
   * The value {@code text} stands for.
   *
   * @throws IllegalArgumentException saying what is wrong and what is expected, without repeating
   *     the text (the caller quotes it unless the option is a secret)
   */
  T parse(String text);

  /** The text {@link #parse} reads back as {@code value}. */
  default String format(T value) {
    return String.valueOf(value);
  }

  /** What the docs say it takes, e.g. {@code duration, 1s to 1h}. */
  String describe();
}
