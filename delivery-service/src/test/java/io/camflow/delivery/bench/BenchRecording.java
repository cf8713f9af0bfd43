package io.camflow.delivery.bench;

import io.camflow.media.AccessUnit;
import io.camflow.testsupport.EncodedStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** What the DVR benchmarks record: the stream, and the topics it is recorded into. */
final class BenchRecording {

  private BenchRecording() {}

  /** 20 s of 1920x1080 at 25 fps, ~4 Mbit/s, GOP 50, with noise (libx264 ultrafast). */
  static List<AccessUnit> stream() throws Exception {
    return EncodedStream.h264(
        "testsrc2=size=1920x1080:rate=25,noise=alls=30:allf=t",
        20,
        50,
        "-b:v",
        "4M",
        "-maxrate",
        "4M",
        "-bufsize",
        "2M");
  }

  /** The CMAF and index topics of {@code camera}/{@code stream}, kept a week, by time only. */
  static void createTopics(String bootstrap, String camera, String stream) throws Exception {
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
              List.of(
                  new NewTopic("camflow.cmaf." + camera + "." + stream, 1, (short) 1)
                      .configs(configs),
                  new NewTopic("camflow.index." + camera + "." + stream, 1, (short) 1)
                      .configs(configs)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
