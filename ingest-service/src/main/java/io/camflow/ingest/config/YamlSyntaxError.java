package io.camflow.ingest.config;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns snakeyaml-engine's syntax errors into camflow's. Its own messages print the offending line
 * and sometimes the text around the error, which may be a password: camflow keeps only where (line
 * and column) and what kind of problem, with the quoted bits of input cut out.
 */
final class YamlSyntaxError {

  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES =
      List.of(
          rule(
              "found character '\\\\t\\(TAB\\)' that cannot start any token.*",
              "found a tab; YAML indents with spaces only"),
          rule(
              "found character '([@`])' that cannot start any token.*",
              "a value cannot start with '$1'; put the value in quotes"),
          rule(
              "found character .*",
              "found a character that cannot start a value; put the value in quotes"),
          rule(
              "found unknown escape character.*",
              "unknown escape sequence in a double-quoted value; write \\\\\\\\ for a backslash, "
                  + "or use single quotes"),
          rule(
              "expected escape sequence of (\\d+) hexadecimal numbers.*",
              "a \\\\x, \\\\u or \\\\U escape in a double-quoted value needs $1 hex digits; "
                  + "or use single quotes"),
          rule(
              "mapping values are not allowed here",
              "mapping values are not allowed here (a value with ': ' in it needs quotes)"),
          rule(
              "found undefined alias.*",
              "an alias (*name) refers to no anchor (&name) defined before it"),
          rule("(found undefined tag handle|duplicate tag handle).*", "$1"),
          rule(
              "(expected URI in UTF-8|found a number which cannot represent a valid version).*",
              "$1"),
          rule(
              "(expected <block end>, but found '(?:<[a-z ]+>|[^A-Za-z0-9']{1,3})')",
              "$1; check the indentation"),
          // Parser messages name a token kind like '<block mapping start>' or '}': keep those.
          rule("(.*, but found '(?:<[a-z ]+>|[^A-Za-z0-9']{1,3})')", "$1"),
          rule("(.*?),? but found.*", "$1"));

  private YamlSyntaxError() {}

  /** The line the error is on: where snakeyaml found it. */
  static int line(MarkedYamlEngineException e) {
    return e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
  }

  /** E.g. "YAML syntax error at column 19: mapping values are not allowed here". */
  static String message(MarkedYamlEngineException e) {
    StringBuilder out = new StringBuilder("YAML syntax error");
    if ("but found another document".equals(e.getProblem())) {
      return out.append(": a second YAML document starts here; the file must hold exactly one")
          .toString();
    }
    e.getProblemMark().ifPresent(m -> out.append(" at column ").append(m.getColumn() + 1));
    out.append(": ").append(sanitize(e.getProblem()));
    String context = e.getContext();
    if (context != null && !context.isBlank()) {
      out.append(" (").append(sanitize(context));
      Mark at = e.getContextMark().orElse(null);
      if (at != null) {
        out.append(" that starts at line ")
            .append(at.getLine() + 1)
            .append(", column ")
            .append(at.getColumn() + 1);
      }
      out.append(')');
    }
    return out.toString();
  }

  static String sanitize(String problem) {
    if (problem == null) {
      return "unknown problem";
    }
    String p = problem.strip();
    for (Rule r : RULES) {
      Matcher m = r.pattern().matcher(p);
      if (m.matches()) {
        p = m.replaceFirst(r.replacement());
        break;
      }
    }
    return p.length() <= 160 ? p : p.substring(0, 160) + "…";
  }

  private static Rule rule(String regex, String replacement) {
    return new Rule(Pattern.compile(regex, Pattern.DOTALL), replacement);
  }
}
