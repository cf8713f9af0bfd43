package io.camflow.delivery.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What the DVR and picture benchmarks record into: the topics ({@code EncodedStream.busy1080p()} is
 * the stream).
 */
final class BenchRecording {

  private BenchRecording() {}

  /** The CMAF and index topics of {@code camera}/{@code stream}, kept a week, by time only. */
  static void createTopics(String bootstrap, String camera, String stream) throws Exception {
    topics(
        bootstrap,
        "camflow.cmaf." + camera + "." + stream,
        "camflow.index." + camera + "." + stream);
  }

  /** Topics of one partition, kept a week, by time only, taking records of up to 16 MiB. */
  static void topics(String bootstrap, String... names) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      Map<String, String> configs =
          Map.of(
              "max.message.bytes",
              "16777216",
              "retention.ms",
              "604800000",
              "retention.bytes",
              "-1");
      admin
          .createTopics(
              java.util.Arrays.stream(names)
                  .map(n -> new NewTopic(n, 1, (short) 1).configs(configs))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
