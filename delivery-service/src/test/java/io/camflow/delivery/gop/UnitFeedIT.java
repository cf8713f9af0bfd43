package io.camflow.delivery.gop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.kafka.LocalKafka;
import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import io.camflow.media.record.MediaRecordFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The access unit feed against the real local Kafka broker. */
class UnitFeedIT {

  static final LocalKafka KAFKA = LocalKafka.shared();
  static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    p.put("acks", "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void close() {
    producer.close(Duration.ofSeconds(5));
  }

  static void createTopic(StreamKey key) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(key.mediaTopic(), 1, (short) 1)
                      .configs(Map.of("max.message.bytes", "16777216"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  static void send(StreamKey key, AccessUnit au, String session) throws Exception {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(key.mediaTopic(), 0, null, au.data());
    MediaRecordFormat.headers(au, session).forEach((k, v) -> r.headers().add(k, v));
    producer.send(r).get(10, TimeUnit.SECONDS);
  }

  static AccessUnit frame(long n, boolean key) {
    byte[] data = {0, 0, 0, 1, (byte) (key ? 0x65 : 0x41), (byte) n};
    return new AccessUnit(
        0,
        Codec.H264,
        n * 3600,
        n * 3600,
        90_000,
        key,
        data,
        key ? new byte[] {0, 0, 0, 1, 0x67, 0x42, 0, 0x1e, 0, 0, 0, 1, 0x68, (byte) 0xce} : null);
  }

  static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void startsAtTheLatestKeyframeAlreadyInKafkaThenFollowsLive() throws Exception {
    StreamKey key = new StreamKey("unitfeed", "warm");
    createTopic(key);
    // three GOPs of 300 frames (the latest keyframe is further back than the first read step),
    // and a record that is no access unit in the last one
    for (int n = 0; n < 900; n++) {
      send(key, frame(n, n % 300 == 0), "s1");
      if (n == 700) {
        ProducerRecord<byte[], byte[]> junk =
            new ProducerRecord<>(key.mediaTopic(), 0, null, new byte[] {1});
        junk.headers().add(MediaRecordFormat.CODEC, "h264".getBytes());
        producer.send(junk).get(10, TimeUnit.SECONDS);
      }
    }
    GopCache cache = new GopCache();
    List<Long> live = new CopyOnWriteArrayList<>();
    try (UnitFeed feed =
        new UnitFeed(key, KAFKA.bootstrapServers(), cache, c -> () -> {}).start()) {
      await("the current GOP", () -> cache.snapshot().gop().size() == 300);
      GopCache.Snapshot start = cache.join(u -> live.add(u.au().pts() / 3600));
      assertEquals(
          600 * 3600, start.gop().getFirst().au().pts(), "the GOP starts at the latest keyframe");
      assertTrue(start.gop().getFirst().au().keyframe());
      assertEquals("s1", start.gop().getFirst().session());
      assertTrue(
          start.gop().getFirst().au().codecConfig().length > 0,
          "the keyframe carries its parameter sets");
      assertEquals(1, feed.skipped(), "the junk record is skipped, nothing else");
      for (int n = 900; n < 905; n++) {
        send(key, frame(n, false), "s1");
      }
      await("the live units", () -> live.size() == 5);
      assertEquals(List.of(900L, 901L, 902L, 903L, 904L), live);
    }
  }

  @Test
  void anEmptyTopicWaitsForTheFirstKeyframe() throws Exception {
    StreamKey key = new StreamKey("unitfeed", "cold");
    createTopic(key);
    GopCache cache = new GopCache();
    try (UnitFeed feed =
        new UnitFeed(key, KAFKA.bootstrapServers(), cache, c -> () -> {}).start()) {
      Thread.sleep(1500); // the feed has found nothing to start from and polls the end
      send(key, frame(1, false), "s1"); // no picture to start from
      send(key, frame(2, true), "s1");
      send(key, frame(3, false), "s1");
      await("the first GOP", () -> cache.snapshot().gop().size() == 2);
      assertEquals(2 * 3600, cache.snapshot().gop().getFirst().au().pts());
      assertTrue(feed.isAlive());
    }
  }
}
