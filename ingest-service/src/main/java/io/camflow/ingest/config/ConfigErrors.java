package io.camflow.ingest.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects the errors of one file, so the user sees all of them at once. Also knows the file's
 * secrets, so no value that contains one is ever quoted back.
 */
final class ConfigErrors {

  private static final int LONGEST_QUOTE = 80;

  private final String file;
  private final List<ConfigError> errors = new ArrayList<>();
  private final Set<String> secrets = new HashSet<>();

  ConfigErrors(String file) {
    this.file = file;
  }

  void add(String field, int line, String message) {
    errors.add(new ConfigError(file, field, line, message));
  }

  void add(String field, Node at, String message) {
    add(field, line(at), message);
  }

  /** An error about the file as a whole. */
  void addFileError(int line, String message) {
    add("", line, message);
  }

  int count() {
    return errors.size();
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** Sorted by line, problems of the file as a whole first; found-order within a line. */
  List<ConfigError> sorted() {
    List<ConfigError> out = new ArrayList<>(errors);
    out.sort(Comparator.comparingInt(ConfigError::line));
    return out;
  }

  void addSecrets(Set<String> values) {
    for (String v : values) {
      if (!v.isEmpty()) {
        secrets.add(v);
      }
    }
  }

  /** Whether {@code value} may appear in a message: false when it contains a secret. */
  boolean mayQuote(String value) {
    return secrets.stream().noneMatch(value::contains);
  }

  /**
   * {@code 'value'} for a message, shortened if long, or a placeholder when it contains a secret.
   */
  String quote(String value) {
    if (!mayQuote(value)) {
      return "(value hidden)";
    }
    String shown = value.length() > LONGEST_QUOTE ? value.substring(0, LONGEST_QUOTE) + "…" : value;
    return "'" + shown + "'";
  }

  static int line(Node node) {
    return node == null ? 0 : node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }
}
