package io.camflow.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The stages of a Dockerfile and their instructions, as far as {@link ComposeFileTest} needs them:
 * no Docker engine runs here, so the file is read, not built. Continuation lines are joined and
 * comment lines dropped, as Docker's parser does.
 */
record DockerfileStages(Map<String, Stage> byName) {

  /** One instruction: its keyword in upper case and the rest of the (joined) line. */
  record Instruction(String keyword, String arguments) {}

  /** A build stage: {@code FROM <base> AS <name>}; {@code base} is an image or an earlier stage. */
  record Stage(String name, String base, List<Instruction> instructions) {

    List<String> arguments(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::arguments)
          .toList();
    }
  }

  static DockerfileStages read(Path dockerfile) throws IOException {
    Map<String, Stage> stages = new LinkedHashMap<>();
    Stage current = null;
    for (String line : logicalLines(Files.readAllLines(dockerfile))) {
      String[] parts = line.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      String arguments = parts.length > 1 ? parts[1].trim() : "";
      if (keyword.equals("FROM")) {
        String[] from = arguments.split("\\s+");
        String name =
            from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "stage-" + stages.size();
        current = new Stage(name, from[0], new ArrayList<>());
        stages.put(name, current);
      } else if (current != null) {
        current.instructions().add(new Instruction(keyword, arguments));
      }
    }
    return new DockerfileStages(stages);
  }

  Optional<Stage> stage(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The stage and the stages it is built on, nearest first, up to the first one from an image. */
  List<Stage> lineage(String name) {
    List<Stage> chain = new ArrayList<>();
    for (Stage s = byName.get(name); s != null; s = byName.get(s.base())) {
      chain.add(s);
    }
    return chain;
  }

  /** What the last {@code keyword} along the lineage says (USER, HEALTHCHECK, CMD, ...). */
  Optional<String> effective(String stage, String keyword) {
    for (Stage s : lineage(stage)) {
      List<String> found = s.arguments(keyword);
      if (!found.isEmpty()) {
        return Optional.of(found.getLast());
      }
    }
    return Optional.empty();
  }

  /** The image the lineage starts from (the base of its last stage). */
  String baseImage(String stage) {
    return lineage(stage).getLast().base();
  }

  /** Names set by ENV along the lineage ({@code ENV A=1 B=2} and {@code ENV A 1}). */
  List<String> environmentNames(String stage) {
    List<String> names = new ArrayList<>();
    for (Stage s : lineage(stage)) {
      for (String env : s.arguments("ENV")) {
        if (!env.contains("=")) {
          names.add(env.split("\\s+")[0]);
          continue;
        }
        for (String pair : env.split("\\s+")) {
          if (pair.contains("=")) {
            names.add(pair.substring(0, pair.indexOf('=')));
          }
        }
      }
    }
    return names;
  }

  private static List<String> logicalLines(List<String> physical) {
    List<String> lines = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String raw : physical) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
        continue;
      }
      boolean continues = line.endsWith("\\");
      pending.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continues) {
        lines.add(pending.toString().strip());
        pending.setLength(0);
      }
    }
    if (!pending.isEmpty()) {
      lines.add(pending.toString().strip());
    }
    return lines;
  }
}
