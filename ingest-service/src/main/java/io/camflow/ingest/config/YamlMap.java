package io.camflow.ingest.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One YAML mapping of the file, with the path of its options. Duplicate keys are reported (YAML
 * libraries keep the last one silently; camflow keeps the first and refuses the file), and so are
 * keys that are not plain strings.
 */
final class YamlMap {

  /** One key and its value; {@code path} is the option's dotted name. */
  record Entry(String key, Node keyNode, Node value, String path) {
    int line() {
      return ConfigErrors.line(keyNode);
    }
  }

  private final Node node;
  private final List<Entry> entries;

  private YamlMap(Node node, List<Entry> entries) {
    this.node = node;
    this.entries = entries;
  }

  /**
   * Reads {@code node} as a map. Absent or null: an empty map. Anything else but a map: reports
   * "{@code expected}" at {@code path} and returns empty.
   *
   * @param keyWord what a key is called in the duplicate-key error, e.g. "camera id"
   */
  static Optional<YamlMap> read(
      Node node, String path, int line, ConfigErrors errors, String expected, String keyWord) {
    if (node == null || isNull(node)) {
      return Optional.of(new YamlMap(node, List.of()));
    }
    if (!(node instanceof MappingNode mapping)) {
      errors.add(path, line, "must be " + expected + ", not " + kind(node));
      return Optional.empty();
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (NodeTuple t : mapping.getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode key) || isNull(k)) {
        errors.add(path, k, "keys must be plain names, not " + kind(k));
        continue;
      }
      String name = key.getValue();
      String entryPath = path.isEmpty() ? name : path + "." + name;
      Integer first = firstLine.putIfAbsent(name, ConfigErrors.line(k));
      if (first != null) {
        errors.add(
            entryPath,
            k,
            "duplicate "
                + keyWord
                + " "
                + errors.quote(name)
                + " (first on line "
                + first
                + "); YAML would silently keep only one of them");
        continue;
      }
      entries.add(new Entry(name, k, t.getValueNode(), entryPath));
    }
    return Optional.of(new YamlMap(node, List.copyOf(entries)));
  }

  /** A map with nothing in it, e.g. the options of a stream given as just its URL. */
  static YamlMap empty() {
    return new YamlMap(null, List.of());
  }

  List<Entry> entries() {
    return entries;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  Optional<Entry> get(String key) {
    return entries.stream().filter(e -> e.key().equals(key)).findFirst();
  }

  int line() {
    return ConfigErrors.line(node);
  }

  /**
   * Reports every key not in {@code known}, suggesting the closest known one; {@code hints} says
   * more for keys users bring from elsewhere (MediaMTX's {@code source}, a stream option one level
   * too high).
   *
   * @return whether there was any
   */
  boolean rejectUnknown(List<String> known, Map<String, String> hints, ConfigErrors errors) {
    return rejectUnknown(known, hints::get, errors);
  }

  /** As above, with hints computed: null when there is none for a key. */
  boolean rejectUnknown(List<String> known, Function<String, String> hints, ConfigErrors errors) {
    boolean found = false;
    for (Entry e : entries) {
      if (known.contains(e.key())) {
        continue;
      }
      StringBuilder message = new StringBuilder("unknown key ").append(errors.quote(e.key()));
      String hint = hints.apply(e.key());
      if (hint != null) {
        message.append(": ").append(hint);
      } else {
        KeySuggestion.closest(e.key(), known)
            .ifPresent(k -> message.append(" (did you mean '").append(k).append("'?)"));
      }
      message.append("; known keys here: ").append(String.join(", ", known));
      errors.add(e.path(), e.line(), message.toString());
      found = true;
    }
    return found;
  }

  /**
   * The text of a single-value option; null when the option is absent or empty. Reports a list or
   * map given instead (without quoting it) and returns null.
   */
  static String scalar(Entry e, ConfigErrors errors) {
    if (e == null || isNull(e.value())) {
      return null;
    }
    if (!(e.value() instanceof ScalarNode s)) {
      errors.add(e.path(), e.line(), "must be a single value, not " + kind(e.value()));
      return null;
    }
    return s.getValue();
  }

  /** Plain {@code ~}, {@code null} or nothing at all: YAML's ways to say "no value". */
  static boolean isNull(Node node) {
    return node instanceof ScalarNode s
        && s.getScalarStyle() == ScalarStyle.PLAIN
        && switch (s.getValue()) {
          case "", "~", "null", "Null", "NULL" -> true;
          default -> false;
        };
  }

  static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a map";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return isNull(node) ? "empty" : "a single value";
  }
}
