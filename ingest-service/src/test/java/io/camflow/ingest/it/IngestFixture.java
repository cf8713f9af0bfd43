package io.camflow.ingest.it;

import io.camflow.ingest.IngestService;
import io.camflow.ingest.config.CamflowConfig;
import io.camflow.ingest.config.ConfigLoader;
import io.camflow.kafka.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One ingest service against the shared real broker, configured from YAML text, plus readers for
 * what it wrote. The routes file is a private copy so tests may edit it.
 */
final class IngestFixture implements AutoCloseable {

  static final Path ROUTES = Path.of("..", "routes", "ingest.camel.yaml");

  final LocalKafka kafka = LocalKafka.shared();
  final Path routesFile;
  final IngestService service;
  final CamelContext context;

  /** Every fixture's context is metered as IngestMain's is. */
  final io.camflow.metrics.ServiceMetrics metrics = new io.camflow.metrics.ServiceMetrics("ingest");

  IngestFixture(String camerasYaml, Map<String, String> env) throws Exception {
    this(camerasYaml, env, io.camflow.ingest.ownership.StreamOwnership.ALL);
  }

  /** With the streams this instance may pull decided by {@code ownership}. */
  IngestFixture(
      String camerasYaml,
      Map<String, String> env,
      io.camflow.ingest.ownership.StreamOwnership ownership)
      throws Exception {
    Path dir = Files.createTempDirectory("camflow-ingest-it");
    routesFile = dir.resolve("ingest.camel.yaml");
    Files.copy(ROUTES, routesFile);
    String yaml = "kafka:\n  bootstrapServers: " + kafka.bootstrapServers() + "\n" + camerasYaml;
    CamflowConfig config = ConfigLoader.parse(yaml, "it.yaml", env);
    service =
        new IngestService(config, routesFile, "it-" + ProcessHandle.current().pid(), ownership);
    context = new DefaultCamelContext();
    metrics.instrument(context);
    service.configure(context);
    context.start();
    service.started();
  }

  @Override
  public void close() {
    service.close();
    context.stop();
    metrics.close();
  }

  /**
   * Every record of a topic from the beginning, waiting until {@code until} holds or the timeout.
   */
  List<ConsumerRecord<byte[], byte[]>> read(
      String topic,
      Duration timeout,
      java.util.function.Predicate<List<ConsumerRecord<byte[], byte[]>>> until) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!until.test(out) && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The latest status JSON per stream key from camflow.status. */
  Map<String, String> statuses() {
    Map<String, String> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r :
        read("camflow.status", Duration.ofSeconds(2), l -> false)) {
      latest.put(
          new String(r.key(), StandardCharsets.UTF_8),
          new String(r.value(), StandardCharsets.UTF_8));
    }
    return latest;
  }

  /** Every status JSON published for one stream, in order. */
  List<String> statusHistory(String stream) {
    return read("camflow.status", Duration.ofSeconds(2), l -> false).stream()
        .filter(r -> stream.equals(new String(r.key(), StandardCharsets.UTF_8)))
        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
        .toList();
  }

  /** Sends viewer-demand heartbeats for a stream, as delivery will. */
  KafkaProducer<String, String> demandProducer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  static void heartbeat(KafkaProducer<String, String> producer, String stream) {
    producer.send(
        new ProducerRecord<>(
            "camflow.demand",
            stream,
            "{\"stream\":\""
                + stream
                + "\",\"viewers\":1,\"at\":"
                + System.currentTimeMillis()
                + "}"));
    producer.flush();
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
