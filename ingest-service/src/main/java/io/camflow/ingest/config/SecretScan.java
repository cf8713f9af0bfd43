package io.camflow.ingest.config;

import io.camflow.options.EnvReferences;
import io.camflow.registry.StreamUrl;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Finds every password in a file before anything else reads it, wherever it stands: under a {@code
 * password} key at any depth (also a misspelt or misplaced one) and inside any URL, literal or from
 * the environment. Error messages then never quote a value that contains one.
 */
final class SecretScan {

  private final EnvReferences env;
  private final Set<String> found = new HashSet<>();
  private final Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());

  private SecretScan(EnvReferences env) {
    this.env = env;
  }

  static Set<String> collect(Node root, EnvReferences env) {
    SecretScan scan = new SecretScan(env);
    scan.visit(root, false);
    return scan.found;
  }

  private void visit(Node node, boolean underSecretKey) {
    if (node == null || !visited.add(node)) {
      return;
    }
    if (node instanceof ScalarNode s) {
      scalar(s.getValue(), underSecretKey);
    } else if (node instanceof SequenceNode seq) {
      seq.getValue().forEach(n -> visit(n, underSecretKey));
    } else if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        visit(t.getKeyNode(), false);
        boolean secretKey = t.getKeyNode() instanceof ScalarNode k && looksSecret(k.getValue());
        visit(t.getValueNode(), secretKey);
      }
    }
  }

  private void scalar(String raw, boolean underSecretKey) {
    String resolved = env.resolve(raw, true).value();
    for (String value :
        resolved == null || resolved.equals(raw) ? List.of(raw) : List.of(raw, resolved)) {
      if (underSecretKey) {
        found.add(value);
      }
      if (value.contains("://")) {
        try {
          String password = StreamUrl.parse(value, s -> "").password();
          if (password != null) {
            found.add(password);
          }
        } catch (IllegalArgumentException notAUrl) {
          // nothing to hide in it then, and the loader reports it where it matters
        }
      }
    }
  }

  private static boolean looksSecret(String key) {
    String k = KeySuggestion.normalize(key);
    return k.contains("pass")
        || k.contains("pwd")
        || k.contains("secret")
        || k.contains("token")
        || KeySuggestion.distance(k, "password") <= 2;
  }
}
