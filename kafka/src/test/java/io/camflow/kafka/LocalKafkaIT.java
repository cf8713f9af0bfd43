package io.camflow.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.localprocess.FreePorts;
import io.camflow.localprocess.ProcessStates;
import io.camflow.localprocess.UnreapedProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaIT {

  @TempDir Path tmp;

  @Test
  void sharedBrokerCarriesAFiveMegabyteRecord() throws Exception {
    LocalKafka kafka = LocalKafka.shared();
    assertSame(kafka, LocalKafka.shared());
    System.out.println(
        "shared broker " + kafka + " started in " + kafka.startupTime().toMillis() + " ms");
    String topic = "it.big." + UUID.randomUUID();
    createTopic(kafka, topic);

    byte[] value = new byte[5 * 1024 * 1024];
    new Random(42).nextBytes(value); // incompressible
    RecordMetadata meta;
    try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
      meta =
          producer.send(new ProducerRecord<>(topic, "keyframe", value)).get(30, TimeUnit.SECONDS);
    }
    assertEquals(0, meta.offset());

    List<ConsumerRecord<String, byte[]>> records = consumeAll(kafka, topic, 1);
    assertEquals("keyframe", records.get(0).key());
    assertArrayEquals(value, records.get(0).value());
  }

  @Test
  void restartOnTheSameDataDirectoryKeepsTopicsAndRecords() throws Exception {
    Path data = tmp.resolve("kafka");
    int[] ports = FreePorts.find(2);
    String topic = "it.restart";
    try (LocalKafka first = LocalKafka.start(data, ports[0], ports[1])) {
      System.out.println(
          "fresh data dir: broker started in " + first.startupTime().toMillis() + " ms");
      createTopic(first, topic);
      try (KafkaProducer<String, byte[]> producer = producer(first)) {
        for (int i = 0; i < 3; i++) {
          producer.send(
              new ProducerRecord<>(topic, "k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
      }
    }
    String clusterId = Files.readString(data.resolve("cluster.id")).trim();

    long t0 = System.nanoTime();
    try (LocalKafka second = LocalKafka.start(data, ports[0], ports[1])) {
      System.out.println("restart: broker started in " + second.startupTime().toMillis() + " ms");
      assertEquals(clusterId, Files.readString(data.resolve("cluster.id")).trim());
      try (Admin admin = admin(second)) {
        assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        assertEquals(clusterId, admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
      }
      List<ConsumerRecord<String, byte[]>> records = consumeAll(second, topic, 3);
      for (int i = 0; i < 3; i++) {
        assertEquals("v" + i, new String(records.get(i).value(), StandardCharsets.UTF_8));
      }
      long pid = second.process().pid();
      second.close();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      System.out.println(
          "restart + consume + stop took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
  }

  @Test
  void aTakenPortFailsFastWithTheBrokerLog() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName(LocalKafka.HOST), 0));
      int controllerPort = FreePorts.find(1)[0];
      long t0 = System.nanoTime();
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> LocalKafka.start(tmp.resolve("taken"), taken.getLocalPort(), controllerPort));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(millis < 30_000, "took " + millis + " ms");
      assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
      assertTrue(e.getMessage().contains("server.log"), e.getMessage());
      assertTrue(e.getMessage().toLowerCase().contains("address already in use"), e.getMessage());
    }
  }

  /**
   * {@code LocalKafka}'s main (what {@code ./camflow up} runs) killed with SIGKILL and left
   * unreaped, a zombie that still looks alive to anything polling its pid: the broker JVM must end
   * and its port close anyway.
   */
  @Test
  void theBrokerEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
    int[] ports = FreePorts.find(2);
    String java = ProcessHandle.current().info().command().orElseThrow();
    try (UnreapedProcess launcher =
        UnreapedProcess.start(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                LocalKafka.class.getName(),
                "--data",
                tmp.resolve("main").toString(),
                "--port",
                Integer.toString(ports[0]),
                "--controller-port",
                Integer.toString(ports[1]),
                "--override",
                "num.partitions=2"))) {
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = launcher.stdout().readLine()) != null && !line.contains("broker up on")) {
        lines.add(line);
      }
      if (line == null) {
        fail("LocalKafka main did not report the broker up:\n" + String.join("\n", lines));
      }
      assertTrue(line.contains("127.0.0.1:" + ports[0]), line);
      assertTrue(
          Files.readString(tmp.resolve("main/server.properties")).contains("num.partitions=2"));
      assertTrue(LocalKafka.answersApiVersions(LocalKafka.HOST, ports[0], Duration.ofSeconds(5)));
      ProcessHandle broker =
          ProcessHandle.of(launcher.pid()).orElseThrow().children().findFirst().orElseThrow();

      launcher.kill(); // SIGKILL: no shutdown hook runs in the launcher
      assertTrue(
          ProcessStates.isZombie(launcher.pid()), "the killed launcher should be left a zombie");
      long t0 = System.nanoTime();
      assertTrue(
          ProcessStates.awaitEnded(broker.pid(), Duration.ofSeconds(30)),
          "the broker JVM still runs 30 s after the JVM that started it was killed");
      System.out.println(
          "broker ended "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms after its parent was killed");
      assertFalse(listens(ports[0]), "port " + ports[0] + " is still open");
      assertTrue(
          Files.readString(tmp.resolve("main/logs/broker.out"))
              .contains("the process that started it is gone"),
          Files.readString(tmp.resolve("main/logs/broker.out")));
    }
  }

  private static boolean listens(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LocalKafka.HOST, port), 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static Admin admin(LocalKafka kafka) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static void createTopic(LocalKafka kafka, String topic) throws Exception {
    try (Admin admin = admin(kafka)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<String, byte[]> producer(LocalKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private static List<ConsumerRecord<String, byte[]>> consumeAll(
      LocalKafka kafka, String topic, int count) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      consumer.commitSync();
    }
    assertEquals(count, records.size(), "records consumed from " + topic);
    return records;
  }
}
