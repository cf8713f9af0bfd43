package io.camflow.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a local broker's data directory and how they are rendered from the templates on the
 * classpath. Layout of a data directory:
 *
 * <pre>
 *   cluster.id          the KRaft cluster id, written on the first start and reused afterwards
 *   server.properties   rendered from the template on every start
 *   log4j2.xml          rendered from the template on every start
 *   kraft/              log.dirs: metadata log and topic partitions (formatted on the first start)
 *   logs/server.log     the broker's log
 *   logs/broker.out     the broker JVM's stdout and stderr (warnings, JVM errors)
 * </pre>
 */
final class BrokerFiles {

  static final String SERVER_PROPERTIES_TEMPLATE = "server.properties";
  static final String LOG4J_TEMPLATE = "log4j2.xml";
  static final String CLASSPATH_RESOURCE = "broker.classpath";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");

  final Path dataDir;

  BrokerFiles(Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
  }

  Path clusterIdFile() {
    return dataDir.resolve("cluster.id");
  }

  Path serverProperties() {
    return dataDir.resolve("server.properties");
  }

  Path log4jConfig() {
    return dataDir.resolve("log4j2.xml");
  }

  Path logDir() {
    return dataDir.resolve("kraft");
  }

  Path logsDir() {
    return dataDir.resolve("logs");
  }

  Path serverLog() {
    return logsDir().resolve("server.log");
  }

  Path brokerOut() {
    return logsDir().resolve("broker.out");
  }

  /** True once the storage was formatted (the marker StorageTool writes into every log dir). */
  boolean formatted() {
    return Files.isRegularFile(logDir().resolve("meta.properties"));
  }

  /** The cluster id kept in the data directory, created on first use. */
  String clusterId() throws IOException {
    Path file = clusterIdFile();
    if (Files.isRegularFile(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    String id = newClusterId();
    Files.createDirectories(dataDir);
    Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
    return id;
  }

  /**
   * Writes server.properties and log4j2.xml for a start on these ports, creating the directories.
   */
  void write(String host, int port, int controllerPort, Map<String, String> overrides)
      throws IOException {
    Files.createDirectories(logDir());
    Files.createDirectories(logsDir());
    Map<String, String> vars =
        Map.of(
            "host", host,
            "port", Integer.toString(port),
            "controllerPort", Integer.toString(controllerPort),
            "logDirs", logDir().toString());
    String props =
        render(resource(SERVER_PROPERTIES_TEMPLATE), vars, BrokerFiles::escapePropertyValue);
    Files.writeString(serverProperties(), applyOverrides(props, overrides));
    String log4j =
        render(
            resource(LOG4J_TEMPLATE),
            Map.of("logFile", serverLog().toString()),
            BrokerFiles::escapeXml);
    Files.writeString(log4jConfig(), log4j);
  }

  // ---- rendering (package-private for tests) ----------------------------------------------------

  /** Replaces every {@code ${name}} by its escaped value; an unknown name is an error. */
  static String render(String template, Map<String, String> vars, UnaryOperator<String> escape) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (m.find()) {
      String value = vars.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "template placeholder ${" + m.group(1) + "} has no value");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(escape.apply(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Replaces the line of every overridden key in a properties text (keeping its position), or
   * appends the key when the text does not set it.
   */
  static String applyOverrides(String properties, Map<String, String> overrides) {
    if (overrides.isEmpty()) {
      return properties;
    }
    Map<String, String> pending = new LinkedHashMap<>(overrides);
    List<String> lines = new ArrayList<>(properties.lines().toList());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
        continue;
      }
      int sep = indexOfSeparator(line);
      String key = (sep < 0 ? line : line.substring(0, sep)).strip();
      if (pending.containsKey(key)) {
        lines.set(i, key + "=" + escapePropertyValue(pending.remove(key)));
      }
    }
    if (!pending.isEmpty()) {
      lines.add("");
      lines.add("# overrides");
      pending.forEach((k, v) -> lines.add(k + "=" + escapePropertyValue(v)));
    }
    return String.join("\n", lines) + "\n";
  }

  private static int indexOfSeparator(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
        return i;
      }
    }
    return -1;
  }

  static String escapePropertyValue(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case ' ' -> out.append(i == 0 ? "\\ " : " ");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String escapeXml(String value) {
    return value
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;")
        // log4j2 would read "${" as the start of a lookup; "$${" is its escape
        .replace("${", "$${");
  }

  /**
   * A cluster id as Kafka makes them: 16 random bytes, URL-safe base64 without padding, not
   * starting with '-'.
   */
  static String newClusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      ByteBuffer bytes =
          ByteBuffer.allocate(16)
              .putLong(uuid.getMostSignificantBits())
              .putLong(uuid.getLeastSignificantBits());
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  static String resource(String name) {
    try (InputStream in = BrokerFiles.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource io/camflow/kafka/"
                + name
                + " missing from the classpath: build camflow-kafka with Maven (./mvnw -pl kafka package)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Last {@code maxLines} lines of a text file, or a note that it does not exist. */
  static String tail(Path file, int maxLines) {
    if (!Files.isRegularFile(file)) {
      return "(" + file + " does not exist)\n";
    }
    try {
      long size = Files.size(file);
      long from = Math.max(0, size - 64 * 1024);
      byte[] bytes;
      try (var ch = Files.newByteChannel(file)) {
        ch.position(from);
        ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
        while (buf.hasRemaining() && ch.read(buf) > 0) {
          /* read all */
        }
        bytes = buf.array();
      }
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      List<String> last = lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
      return String.join("\n", last) + "\n";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")\n";
    }
  }
}
