package io.camflow.options;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is wrong; the message lists every problem, one a line. */
public final class InvalidSettingsException extends IllegalArgumentException {

  private final transient List<Problem> problems;

  public InvalidSettingsException(List<Problem> problems) {
    super(
        problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + " in camflow's configuration:\n"
            + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
