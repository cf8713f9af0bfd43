package io.camflow.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerFilesTest {

  @TempDir Path dir;

  @Test
  void rendersTheServerPropertiesOfASingleNodeKraftBroker() throws Exception {
    BrokerFiles files = new BrokerFiles(dir.resolve("data dir"));
    files.write("127.0.0.1", 19092, 19093, Map.of());
    String text = Files.readString(files.serverProperties());
    assertFalse(text.lines().filter(l -> !l.startsWith("#")).anyMatch(l -> l.contains("${")), text);

    Properties p = load(text);
    assertEquals("broker,controller", p.getProperty("process.roles"));
    assertEquals("1@127.0.0.1:19093", p.getProperty("controller.quorum.voters"));
    assertEquals(
        "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093", p.getProperty("listeners"));
    assertEquals("PLAINTEXT://127.0.0.1:19092", p.getProperty("advertised.listeners"));
    assertEquals(files.logDir().toString(), p.getProperty("log.dirs"));
    assertTrue(p.getProperty("log.dirs").contains("data dir"));
    for (String rf :
        new String[] {
          "offsets.topic.replication.factor",
          "transaction.state.log.replication.factor",
          "transaction.state.log.min.isr",
          "default.replication.factor",
          "min.insync.replicas",
          "share.coordinator.state.topic.replication.factor",
          "share.coordinator.state.topic.min.isr"
        }) {
      assertEquals("1", p.getProperty(rf), rf);
    }
    assertEquals("0", p.getProperty("group.initial.rebalance.delay.ms"));
    assertEquals(Integer.toString(16 << 20), p.getProperty("message.max.bytes"));
    assertEquals("true", p.getProperty("auto.create.topics.enable"));

    String log4j = Files.readString(files.log4jConfig());
    assertTrue(log4j.contains("fileName=\"" + files.serverLog() + "\""), log4j);
  }

  @Test
  void overridesReplaceKeysInPlaceAndAppendNewOnes() {
    String props = "# comment\na=1\nb = 2\nc:3\n";
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("b", "two");
    overrides.put("d", "C:\\dir\\x");
    String out = BrokerFiles.applyOverrides(props, overrides);
    assertEquals("# comment\na=1\nb=two\nc:3\n\n# overrides\nd=C:\\\\dir\\\\x\n", out);
    assertEquals("C:\\dir\\x", load(out).getProperty("d"));
    assertEquals(props, BrokerFiles.applyOverrides(props, Map.of()));
  }

  @Test
  void renderingRejectsUnknownPlaceholdersAndEscapesValues() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BrokerFiles.render("x=${nope}", Map.of(), UnaryOperator.identity()));
    assertEquals(
        "a=b\\\\c",
        BrokerFiles.render("a=${v}", Map.of("v", "b\\c"), BrokerFiles::escapePropertyValue));
    assertEquals("&lt;a &amp; $${b}&gt;", BrokerFiles.escapeXml("<a & ${b}>"));
  }

  @Test
  void clusterIdIsKeptInTheDataDirectory() throws Exception {
    BrokerFiles files = new BrokerFiles(dir);
    String id = files.clusterId();
    assertEquals(22, id.length());
    assertTrue(id.matches("[A-Za-z0-9_-]+") && !id.startsWith("-"), id);
    assertEquals(id, new BrokerFiles(dir).clusterId());
    assertFalse(files.formatted());
  }

  @Test
  void recordedBrokerClasspathIsComplete() {
    String cp = LocalKafka.brokerClasspath();
    assertTrue(cp.contains("kafka_2.13-"), cp);
    assertTrue(
        cp.contains("kafka-clients-"), "kafka-clients must be on the broker's classpath: " + cp);
    assertTrue(cp.contains("log4j-core-") && cp.contains("slf4j-api-2."), cp);
  }

  @Test
  void tailShowsTheLastLines() throws Exception {
    Path f = dir.resolve("log");
    Files.writeString(f, "1\n2\n3\n4\n");
    assertEquals("3\n4\n", BrokerFiles.tail(f, 2));
    assertTrue(BrokerFiles.tail(dir.resolve("missing"), 2).contains("does not exist"));
  }

  private static Properties load(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return p;
  }
}
