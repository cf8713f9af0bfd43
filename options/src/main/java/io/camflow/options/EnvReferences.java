package io.camflow.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} in a value with environment variable NAME, or with {@code fallback}
 * in {@code ${env:NAME:-fallback}} when NAME is unset. {@code $${} writes a literal {@code ${}; any
 * other {@code ${} is an error, so a go2rtc-style {@code ${NAME}} does not silently become a password.
 */
public final class EnvReferences {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String PREFIX = "env:";
  private static final String FALLBACK = ":-";

  /** The value with references replaced, or the problems that stopped it (value then null). */
  public record Resolved(String value, List<String> problems) {}

  private final Map<String, String> env;

  public EnvReferences(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * @param secret whether {@code raw} is a password: then problems quote nothing of it, not even
   *     what looks like a variable name
   */
  public Resolved resolve(String raw, boolean secret) {
    if (!raw.contains("${")) {
      return new Resolved(raw, List.of());
    }
    List<String> problems = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < raw.length()) {
      if (raw.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (raw.startsWith("${", i)) {
        int close = raw.indexOf('}', i + 2);
        if (close < 0) {
          problems.add("'${' is not closed; write ${env:NAME} (or $${ for a literal ${)");
          break;
        }
        String body = raw.substring(i + 2, close);
        String value = lookup(body, secret, problems);
        if (value != null) {
          out.append(value);
        }
        i = close + 1;
      } else {
        out.append(raw.charAt(i++));
      }
    }
    return problems.isEmpty()
        ? new Resolved(out.toString(), List.of())
        : new Resolved(null, problems);
  }

  private String lookup(String body, boolean secret, List<String> problems) {
    if (!body.startsWith(PREFIX)) {
      if (!secret && NAME.matcher(body).matches()) {
        problems.add(
            "write ${env:"
                + body
                + "} to read environment variable "
                + body
                + " (or $${ for a literal ${)");
      } else {
        problems.add(
            "'${' must start an environment reference ${env:NAME} (or write $${ for a literal ${)");
      }
      return null;
    }
    String spec = body.substring(PREFIX.length());
    int fallbackAt = spec.indexOf(FALLBACK);
    String name = fallbackAt < 0 ? spec : spec.substring(0, fallbackAt);
    String fallback = fallbackAt < 0 ? null : spec.substring(fallbackAt + FALLBACK.length());
    if (!NAME.matcher(name).matches()) {
      problems.add("${env:...} needs a variable name of letters, digits and '_'");
      return null;
    }
    String value = env.get(name);
    if (value == null) {
      value = fallback;
    }
    if (value == null) {
      problems.add("environment variable " + name + " is not set");
    }
    return value;
  }
}
