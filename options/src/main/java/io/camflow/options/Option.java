package io.camflow.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One setting of camflow, defined once: its key in {@code config/camflow.yaml}, its environment
 * variable, its type (parser and bounds), its default and a one-line doc. Everything else (reading
 * it, the docs' tables, {@code ./camflow config}) comes from this definition. See {@link
 * CamflowOptions}.
 *
 * @param <T> its value
 */
public final class Option<T> {

  private static final Pattern KEY = Pattern.compile("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)+");
  private static final Pattern ENV = Pattern.compile("CAMFLOW_[A-Z0-9_]+");

  /**
   * An older name of the variable, still read: a whole number in the unit it used to carry in its
   * name ({@code CAMFLOW_IDLE_STOP_MS=30000}), read as that duration. The new name wins when both
   * are set.
   */
  public record Legacy(String env, String unit) {}

  private final String key;
  private final String env;
  private final OptionType<T> type;
  private final T defaultValue;
  private final String defaultText;
  private final String doc;
  private final boolean secret;
  private final List<Legacy> legacy;
  private final String hint;

  private Option(Builder<T> b) {
    this.key = b.key;
    this.env = b.env;
    this.type = b.type;
    this.defaultValue = b.defaultValue;
    this.defaultText = b.defaultText;
    this.doc = Objects.requireNonNull(b.doc, "doc of " + b.key);
    this.secret = b.secret;
    this.legacy = List.copyOf(b.legacy);
    this.hint = b.hint;
  }

  /**
   * Starts the definition of the option at {@code key} ({@code delivery.http.port}) in the file.
   */
  public static <T> Builder<T> key(String key, OptionType<T> type) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "an option key is section.name in lowerCamelCase, was " + key);
    }
    return new Builder<>(key, type);
  }

  /** Its dotted path in {@code config/camflow.yaml}, e.g. {@code delivery.http.port}. */
  public String key() {
    return key;
  }

  /** Its environment variable, e.g. {@code CAMFLOW_HTTP_PORT}; null if it has none. */
  public String env() {
    return env;
  }

  public OptionType<T> type() {
    return type;
  }

  /** Its value when nothing sets it; null: unset (the option is then optional). */
  public T defaultValue() {
    return defaultValue;
  }

  /** The default as the docs write it ({@code 10s}; a phrase where it is computed). */
  public String defaultText() {
    return defaultText != null
        ? defaultText
        : defaultValue == null ? "(unset)" : type.format(defaultValue);
  }

  public String doc() {
    return doc;
  }

  /** Whether its value is a secret: never shown, logged or quoted in an error. */
  public boolean secret() {
    return secret;
  }

  public List<Legacy> legacy() {
    return legacy;
  }

  /** What an error about it adds in parentheses (how to get past the bound); null if nothing. */
  public String hint() {
    return hint;
  }

  /**
   * {@code value} if the type takes it (what the docs say it takes), for records built in code.
   *
   * @throws IllegalArgumentException naming the option and what it takes
   */
  public T require(T value) {
    if (value == null) {
      throw new IllegalArgumentException(key + " is missing");
    }
    try {
      return type.parse(type.format(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          key + " " + e.getMessage() + ", not " + type.format(value));
    }
  }

  /** Its section, the first part of the key ({@code delivery}). */
  public String section() {
    return key.substring(0, key.indexOf('.'));
  }

  @Override
  public String toString() {
    return key;
  }

  /** The rest of a definition. */
  public static final class Builder<T> {
    private final String key;
    private final OptionType<T> type;
    private String env;
    private T defaultValue;
    private String defaultText;
    private String doc;
    private boolean secret;
    private final List<Legacy> legacy = new ArrayList<>();
    private String hint;

    private Builder(String key, OptionType<T> type) {
      this.key = key;
      this.type = Objects.requireNonNull(type);
    }

    public Builder<T> env(String name) {
      if (!ENV.matcher(name).matches()) {
        throw new IllegalArgumentException("camflow's variables are CAMFLOW_*, was " + name);
      }
      this.env = name;
      return this;
    }

    /** The default, given as the text a user would write (so it passes the same checks). */
    public Builder<T> defaultValue(String text) {
      this.defaultValue = type.parse(text);
      return this;
    }

    /** No default value; the docs say what happens when it is not set. */
    public Builder<T> unset(String meaning) {
      this.defaultValue = null;
      this.defaultText = meaning;
      return this;
    }

    public Builder<T> doc(String doc) {
      this.doc = doc;
      return this;
    }

    /** Added to its errors in parentheses, e.g. how to get past the bound. */
    public Builder<T> hint(String hint) {
      this.hint = hint;
      return this;
    }

    public Builder<T> secret() {
      this.secret = true;
      return this;
    }

    /** An older variable still read as whole {@code unit}s (us, ms or s). */
    public Builder<T> legacy(String oldEnv, String unit) {
      this.legacy.add(new Legacy(oldEnv, unit));
      return this;
    }

    public Option<T> define() {
      return new Option<>(this);
    }
  }
}
