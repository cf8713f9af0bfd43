package io.camflow.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The option sections of {@code config/camflow.yaml} ({@code kafka:}, {@code delivery:}, …), read
 * from the YAML node tree: each option key with its text (environment references resolved) and
 * line. Keys an option section does not know are problems, with the closest known key suggested;
 * the camera sections ({@code cameras:}, {@code defaults:}) are ingest's to read.
 */
public final class FileValues {

  /** A value as the file wrote it. */
  public record Value(String text, int line) {}

  /** Top-level sections that are not options: the cameras and their stream defaults. */
  public static final Set<String> CAMERA_SECTIONS = Set.of("cameras", "defaults");

  private final String fileName;
  private final Map<String, Value> values = new LinkedHashMap<>();
  private final List<Problem> problems = new ArrayList<>();

  private FileValues(String fileName) {
    this.fileName = fileName;
  }

  /** No file: every option from the environment or its default. */
  public static FileValues none() {
    return new FileValues("");
  }

  /**
   * Reads {@code yaml} (the content of {@code fileName}); a syntax error is a problem, not an
   * exception.
   */
  public static FileValues parse(String yaml, String fileName, Map<String, String> env) {
    FileValues out = new FileValues(fileName);
    try {
      LoadSettings settings = LoadSettings.builder().setLabel(fileName).build();
      new Compose(settings)
          .composeString(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml)
          .ifPresent(root -> out.read(root, env, true));
    } catch (YamlEngineException e) {
      out.problems.add(
          new Problem(
              fileName,
              0,
              "",
              "not valid YAML (the first error: "
                  + e.getMessage().lines().findFirst().orElse("")
                  + ")"));
    }
    return out;
  }

  /**
   * The option sections of an already composed file (ingest composes it once for the cameras too),
   * without complaining about top-level keys (ingest's reader does).
   */
  public static FileValues of(Node root, String fileName, Map<String, String> env) {
    FileValues out = new FileValues(fileName);
    out.read(root, env, false);
    return out;
  }

  public String fileName() {
    return fileName;
  }

  public Map<String, Value> values() {
    return values;
  }

  public List<Problem> problems() {
    return problems;
  }

  private void read(Node root, Map<String, String> env, boolean strictTop) {
    if (!(root instanceof MappingNode top)) {
      if (strictTop && !(root instanceof ScalarNode s && s.getValue().isEmpty())) {
        problems.add(
            new Problem(
                where(root),
                line(root),
                "",
                "the file must be a map of sections (kafka:, delivery:, cameras:, …)"));
      }
      return;
    }
    Set<String> sections = CamflowOptions.sections();
    EnvReferences references = new EnvReferences(env);
    for (NodeTuple t : top.getValue()) {
      String section = keyOf(t);
      if (sections.contains(section)) {
        walk(t.getValueNode(), section, references);
      } else if (strictTop && !CAMERA_SECTIONS.contains(section)) {
        problems.add(
            new Problem(
                where(t.getKeyNode()),
                line(t.getKeyNode()),
                section,
                "unknown section"
                    + suggestion(section, sections)
                    + "; the sections are "
                    + String.join(", ", sections)
                    + ", cameras and defaults"));
      }
    }
  }

  private void walk(Node node, String path, EnvReferences references) {
    if (node instanceof ScalarNode s
        && s.getValue().isEmpty()
        && CamflowOptions.sections().contains(path)) {
      return; // an empty section ("delivery:" with everything commented out)
    }
    if (!(node instanceof MappingNode map)) {
      problems.add(
          new Problem(
              where(node),
              line(node),
              path,
              "must be a map with "
                  + String.join(", ", CamflowOptions.childrenOf(path))
                  + ", not a single value"));
      return;
    }
    for (NodeTuple t : map.getValue()) {
      String key = path + "." + keyOf(t);
      Option<?> option = CamflowOptions.byKey(key);
      if (option != null && option.section().equals(CamflowOptions.PROCESS_SECTION)) {
        problems.add(
            new Problem(
                where(t.getKeyNode()),
                line(t.getKeyNode()),
                key,
                "one value per process: set " + option.env() + " in the environment instead"));
      } else if (option != null) {
        if (t.getValueNode() instanceof ScalarNode s) {
          EnvReferences.Resolved r = references.resolve(s.getValue(), option.secret());
          if (r.value() == null) {
            r.problems().forEach(p -> problems.add(new Problem(where(s), line(s), key, p)));
          } else {
            values.put(key, new Value(r.value(), line(s)));
          }
        } else {
          problems.add(
              new Problem(
                  where(t.getValueNode()), line(t.getValueNode()), key, "expected a single value"));
        }
      } else if (CamflowOptions.isGroup(key)) {
        walk(t.getValueNode(), key, references);
      } else {
        List<String> known = CamflowOptions.childrenOf(path);
        problems.add(
            new Problem(
                where(t.getKeyNode()),
                line(t.getKeyNode()),
                key,
                "unknown option"
                    + suggestion(keyOf(t), known)
                    + "; "
                    + path
                    + ": takes "
                    + String.join(", ", known)));
      }
    }
  }

  private static String keyOf(NodeTuple t) {
    return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
  }

  private static String suggestion(String key, java.util.Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d =
          distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }

  private String where(Node node) {
    return fileName + ":" + line(node);
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  String where(Value v) {
    return fileName + ":" + v.line();
  }
}
