package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.registry.PullMode;
import io.camflow.registry.Transport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The config file {@code ./camflow up} starts with, its commented-out example, and the docs of
 * both.
 */
class ShippedConfigTest {

  private static final Path CONFIG = Path.of("../config/camflow.yaml");
  private static final Path DOCS = Path.of("../docs/configuration.md");

  /** A commented-out option line: {@code # key: ...} or {@code # key:}, not prose. */
  private static final Pattern COMMENTED_OPTION =
      Pattern.compile("^(\\s*)# (\\s*[a-z][A-Za-z]*:( .*)?)$");

  @Test
  void defaultConfigHasTheDemoCamera() {
    CamflowConfig c = ConfigLoader.load(CONFIG, Map.of());
    assertEquals(List.of("demo/main"), c.streams().stream().map(StreamConfig::key).toList());
    StreamConfig demo = c.stream("demo/main").orElseThrow();
    assertEquals(
        URI.create("synthetic:testsrc?size=1280x720&rate=25&gop=25&bitrate=2000k"), demo.url());
    assertEquals(PullMode.ALWAYS, demo.mode());
    assertEquals(
        java.time.Duration.ofHours(1),
        c.camera("demo").orElseThrow().dvrRetention(),
        "the demo is recorded, an hour of it");
    assertEquals("localhost:9092", c.kafkaBootstrapServers());
    assertEquals(
        "kafka:9092",
        ConfigLoader.load(CONFIG, Map.of("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"))
            .kafkaBootstrapServers());
  }

  @Test
  void commentedOutExamplesAreValid() throws Exception {
    String uncommented =
        Files.readAllLines(CONFIG).stream()
            .map(line -> COMMENTED_OPTION.matcher(line).replaceFirst("$1$2"))
            .collect(Collectors.joining("\n"));
    CamflowConfig c =
        ConfigLoader.parse(
            uncommented, "uncommented camflow.yaml", Map.of("FRONTDOOR_PASSWORD", "pw"));

    assertEquals(StreamDefaults.BUILT_IN, c.defaults());
    assertEquals(Limits.DEFAULTS, c.limits());
    assertEquals(
        List.of("demo/main", "frontdoor/main", "frontdoor/sub"),
        c.streams().stream().map(StreamConfig::key).toList());
    StreamConfig main = c.stream("frontdoor/main").orElseThrow();
    assertEquals("admin", main.username());
    assertEquals("pw", main.password().reveal());
    assertEquals(Transport.TCP, main.transport());
    assertEquals(PullMode.ON_DEMAND, main.mode());
    assertEquals(PullMode.ON_DEMAND, c.stream("frontdoor/sub").orElseThrow().mode());
    assertEquals(java.time.Duration.ofDays(7), c.camera("frontdoor").orElseThrow().dvrRetention());
    assertEquals(200_000_000_000L, c.camera("frontdoor").orElseThrow().dvrMaxSize());
    assertEquals(List.of("main"), c.camera("studio").orElseThrow().published());
  }

  @Test
  void docsExamplesAreValid() throws Exception {
    Matcher block =
        Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOCS));
    int examples = 0;
    while (block.find()) {
      ConfigLoader.parse(
          block.group(1),
          "docs/configuration.md example " + ++examples,
          Map.of("FRONTDOOR_PASSWORD", "pw"));
    }
    assertTrue(examples >= 2, "examples found: " + examples);
  }

  @Test
  void docsDescribeEveryOption() throws Exception {
    String docs = Files.readString(DOCS);
    List<String> keys =
        Stream.of(
                ConfigReader.TOP_KEYS,
                ConfigReader.CAMERA_KEYS,
                ConfigReader.DVR_KEYS,
                ConfigReader.STREAM_KEYS,
                StreamSettingsReader.SETTINGS_KEYS,
                StreamSettingsReader.BACKOFF_KEYS.stream().map(k -> "backoff." + k).toList())
            .flatMap(List::stream)
            .distinct()
            .toList();
    for (String key : keys) {
      assertTrue(
          docs.contains("`" + key + "`"), "docs/configuration.md does not describe `" + key + "`");
    }
    for (PullMode m : PullMode.values()) {
      assertTrue(docs.contains("`" + m.yamlName() + "`"), m.yamlName());
    }
    for (Transport t : Transport.values()) {
      assertTrue(docs.contains("`" + t.yamlName() + "`"), t.yamlName());
    }
  }
}
