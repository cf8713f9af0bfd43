package io.camflow.delivery.dvr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.it.CmafFeed;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.StreamKey;
import io.camflow.media.record.IndexEntry;
import io.camflow.testsupport.EncodedStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A camera's size bound ({@code dvr.maxSize}) deletes from its CMAF topic while the index, bounded
 * by time only, still lists those segments: the recording's bounds, its spans and its lookups by
 * instant start at the first segment the CMAF topic still has.
 */
class RecordingIndexIT {

  static final LocalKafka KAFKA = LocalKafka.shared();

  /**
   * The CMAF topic as ingest provisions it for a size bound, scaled down (Kafka's smallest log
   * segment, 1 MiB, and a 3 MiB bound): six minutes of recording at 400 kbit/s, several times the
   * bound, lose their oldest log segments to the broker's size retention (checked every 5 s on the
   * test broker).
   */
  @Test
  void theOldestSegmentIsOneTheSizeBoundedCmafTopicStillHas() throws Exception {
    StreamKey key = key("idxsize");
    createTopics(
        key,
        Map.of(
            "retention.ms",
            "-1",
            "retention.bytes",
            Long.toString(3L << 20),
            "segment.bytes",
            Long.toString(1L << 20),
            "max.message.bytes",
            "16777216"));
    long start = Instant.now().minus(Duration.ofMinutes(10)).toEpochMilli();
    fill(key, start, 6 * 60 * EncodedStream.FPS);

    long begin = stableBeginning(key.cmafTopic());
    assertTrue(begin > 0, "the size bound deleted the oldest CMAF records");
    try (RecordingIndex index = new RecordingIndex(KAFKA.bootstrapServers())) {
      assertOldestIsTheFirstSegmentStillInTheCmafTopic(index, key);
    }
  }

  /**
   * The same with the CMAF topic's beginning moved by hand (as retention does, but at once and to
   * chosen places): into the recording, then to its last record, the open segment's.
   */
  @Test
  void theBoundsFollowTheCmafTopicsBeginning() throws Exception {
    StreamKey key = key("idxcut");
    createTopics(key, Map.of("segment.bytes", Long.toString(1L << 20)));
    long start = Instant.now().minus(Duration.ofMinutes(5)).toEpochMilli();
    fill(key, start, 3 * 60 * EncodedStream.FPS);
    List<IndexEntry> all = indexEntries(key);
    try (RecordingIndex index = new RecordingIndex(KAFKA.bootstrapServers())) {
      assertEquals(
          all.get(0).startMillis(),
          index.bounds(key).orElseThrow().oldest().startMillis(),
          "nothing deleted: the index's first entry");

      long end = endOffset(key.cmafTopic());
      deleteBefore(key.cmafTopic(), end / 2);
      IndexEntry oldest = assertOldestIsTheFirstSegmentStillInTheCmafTopic(index, key);
      assertTrue(
          oldest.startMillis() > all.get(all.size() / 4).startMillis(),
          "about half the recording is gone");

      List<IndexEntry> spans = new ArrayList<>();
      index.read(key, Instant.ofEpochMilli(start), Instant.now(), spans::add);
      assertEquals(
          oldest.msn(), spans.get(0).msn(), "the recording read from its start begins there too");
      assertEquals(
          oldest.msn(),
          index.at(key, Instant.ofEpochMilli(all.get(1).startMillis())).orElseThrow().msn(),
          "an instant whose segment is gone finds the oldest one kept, as in a gap");

      deleteBefore(key.cmafTopic(), end - 1);
      assertEquals(
          Optional.empty(), index.bounds(key), "no segment the index lists is left to play");
      List<IndexEntry> none = new ArrayList<>();
      index.read(key, Instant.ofEpochMilli(start), Instant.now(), none::add);
      assertEquals(List.of(), none);
      assertEquals(
          all.size(), indexEntries(key).size(), "while the index, by time, still lists it all");
    }
  }

  /**
   * The bounds' oldest entry is the index's first whose segment starts at or after the CMAF topic's
   * first record, and the index still has older ones (so they were skipped).
   */
  private static IndexEntry assertOldestIsTheFirstSegmentStillInTheCmafTopic(
      RecordingIndex index, StreamKey key) throws Exception {
    long kept = firstTimestamp(key.cmafTopic());
    List<IndexEntry> all = indexEntries(key);
    IndexEntry expected =
        all.stream().filter(e -> e.startMillis() >= kept).findFirst().orElseThrow();
    assertTrue(
        all.get(0).startMillis() < kept, "the index still lists segments the CMAF topic lost");
    IndexEntry oldest = index.bounds(key).orElseThrow().oldest();
    assertEquals(
        expected.msn(), oldest.msn(), "CMAF topic starts at " + Instant.ofEpochMilli(kept));
    assertEquals(expected.startMillis(), oldest.startMillis());
    assertEquals(all.get(all.size() - 1).msn(), index.bounds(key).orElseThrow().newest().msn());
    return oldest;
  }

  private static StreamKey key(String prefix) {
    return new StreamKey(prefix + Long.toString(System.nanoTime() % 1_000_000_000L, 36), "main");
  }

  private static void createTopics(StreamKey key, Map<String, String> cmaf) throws Exception {
    try (Admin admin = Admin.create(props())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(key.cmafTopic(), 1, (short) 1).configs(cmaf),
                  new NewTopic(key.indexTopic(), 1, (short) 1)
                      .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static void fill(StreamKey key, long startMillis, long frames) throws Exception {
    try (CmafFeed feed =
        new CmafFeed(
            KAFKA.bootstrapServers(),
            key.cmafTopic(),
            EncodedStream.h264("testsrc2=size=320x240:rate=25", 10, 25, "-b:v", "400k"))) {
      feed.record(startMillis, frames);
    }
  }

  /** The CMAF topic's beginning once the broker's retention has stopped moving it. */
  private static long stableBeginning(String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long last = -1;
    long since = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = beginningOffset(topic);
      if (now != last) {
        last = now;
        since = System.nanoTime();
      } else if (now > 0 && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(7)) {
        return now; // longer than the 5 s retention check without a change
      }
      Thread.sleep(250);
    }
    return last;
  }

  private static void deleteBefore(String topic, long offset) throws Exception {
    try (Admin admin = Admin.create(props())) {
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static long beginningOffset(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      return c.beginningOffsets(List.of(tp)).get(tp);
    }
  }

  private static long endOffset(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      return c.endOffsets(List.of(tp)).get(tp);
    }
  }

  /** The timestamp of the topic's first record, read as any consumer reads it. */
  private static long firstTimestamp(String topic) {
    return records(topic, 1).get(0).timestamp();
  }

  private static List<IndexEntry> indexEntries(StreamKey key) {
    List<IndexEntry> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records(key.indexTopic(), Integer.MAX_VALUE)) {
      out.add(IndexEntry.decode(RecordingConsumer.headers(r), r.value(), r.timestamp()));
    }
    return out;
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(String topic, int most) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (c.position(tp) < end && out.size() < most && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (out.size() < most) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = props();
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static Properties props() {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    return p;
  }
}
