package io.camflow.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code test-tools.tsv}: everything outside Maven that the tests start — commands, GStreamer
 * elements, Python modules — each with the Debian package that brings it. The one list: {@code
 * ./camflow test} installs from it and checks it, the camera scripts name packages from it, and
 * {@code ToolTableTest} holds the camera launch lines against it.
 */
public final class ToolTable {

  /** Next to the camera scripts, which read it too. */
  public static final String RESOURCE = "test-tools.tsv";

  public enum Kind {
    COMMAND("command"),
    GST_ELEMENT("gst-element"),
    PYTHON_MODULE("python-module"),
    FILE("file");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The word in the table's first column. */
    public String label() {
      return label;
    }

    static Kind of(String label) {
      for (Kind kind : values()) {
        if (kind.label.equals(label)) {
          return kind;
        }
      }
      return null;
    }
  }

  /**
   * One row: a command, element or module, the Debian package that brings it, and who needs it (may
   * be empty).
   */
  public record Tool(Kind kind, String name, String debianPackage, String neededBy) {
    /** "GStreamer element timeoverlay (Debian package gstreamer1.0-x)" */
    @Override
    public String toString() {
      String what =
          switch (kind) {
            case COMMAND -> "command";
            case GST_ELEMENT -> "GStreamer element";
            case PYTHON_MODULE -> "Python module";
            case FILE -> "file";
          };
      return what + " " + name + " (Debian package " + debianPackage + ")";
    }
  }

  private static final Pattern DEBIAN_PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

  private final Map<String, Tool> tools;

  private ToolTable(Map<String, Tool> tools) {
    this.tools = tools;
  }

  /** The table from the classpath. */
  public static ToolTable load() {
    try (InputStream in = ToolTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource io/camflow/testsupport/" + RESOURCE + " missing");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the table's text: rows of kind, name, Debian package and an optional note, separated by
   * tabs; blank lines and lines starting with {@code #} are skipped.
   *
   * @throws IllegalArgumentException naming the line of a malformed or repeated row
   */
  static ToolTable parse(String text) {
    Map<String, Tool> tools = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] columns = line.split("\t", -1);
      String where = RESOURCE + " line " + (i + 1) + ": ";
      if (columns.length < 3 || columns.length > 4) {
        throw new IllegalArgumentException(
            where
                + "expected kind, name, Debian package and an optional note"
                + " separated by tabs, got "
                + columns.length
                + " columns: "
                + line);
      }
      Kind kind = Kind.of(columns[0]);
      if (kind == null) {
        throw new IllegalArgumentException(
            where
                + "unknown kind '"
                + columns[0]
                + "' (known: command, gst-element, python-module, file)");
      }
      if (columns[1].isBlank() || columns[1].strip().length() != columns[1].length()) {
        throw new IllegalArgumentException(
            where + "the name is empty or has spaces around it: " + line);
      }
      if (!DEBIAN_PACKAGE.matcher(columns[2]).matches()) {
        throw new IllegalArgumentException(
            where + "'" + columns[2] + "' is not a Debian package name");
      }
      Tool tool = new Tool(kind, columns[1], columns[2], columns.length == 4 ? columns[3] : "");
      if (tools.putIfAbsent(key(kind, tool.name()), tool) != null) {
        throw new IllegalArgumentException(
            where + kind.label() + " " + tool.name() + " has a row already");
      }
    }
    return new ToolTable(tools);
  }

  public Optional<Tool> find(Kind kind, String name) {
    return Optional.ofNullable(tools.get(key(kind, name)));
  }

  public List<Tool> all() {
    return new ArrayList<>(tools.values());
  }

  private static String key(Kind kind, String name) {
    return kind.label() + "\t" + name;
  }
}
