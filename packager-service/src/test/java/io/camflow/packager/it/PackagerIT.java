package io.camflow.packager.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.kafka.LocalKafka;
import io.camflow.media.AccessUnit;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import io.camflow.media.record.Thumbnail;
import io.camflow.packager.PackagerService;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packager against the real local broker: a real H.264 encoding produced at camera pace into a
 * media topic comes out as init, chunks, parts and segments that FFmpeg decodes; a packager killed
 * with SIGKILL and restarted leaves no gap and no duplicate.
 */
class PackagerIT {

  static final Path ROUTES = Path.of("..", "routes", "packager.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static List<AccessUnit> units;

  @BeforeAll
  static void encode() throws Exception {
    units = MediaFeed.encode(4, 25); // 100 frames, a keyframe every second
  }

  record Cmaf(long offset, long timestamp, CmafRecord record) {}

  static void createTopics(String... names) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> topics = new ArrayList<>();
      for (String n : names) {
        topics.add(new NewTopic(n, 1, (short) 1).configs(Map.of("max.message.bytes", "16777216")));
      }
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
  }

  static List<Cmaf> readCmaf(String topic, Duration timeout, Predicate<List<Cmaf>> until) {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    p.put("max.partition.fetch.bytes", "16778240");
    List<Cmaf> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!until.test(out) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          Map<String, byte[]> h = new HashMap<>();
          for (Header header : r.headers()) {
            h.put(header.key(), header.value());
          }
          out.add(new Cmaf(r.offset(), r.timestamp(), CmafRecord.decode(h, r.value())));
        }
      }
    }
    return out;
  }

  static List<IndexEntry> readIndex(String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    List<IndexEntry> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          Map<String, byte[]> h = new HashMap<>();
          for (Header header : r.headers()) {
            h.put(header.key(), header.value());
          }
          out.add(IndexEntry.decode(h, r.value(), r.timestamp()));
        }
      }
    }
    return out;
  }

  /**
   * The recording's index has exactly one entry per segment the CMAF topic ends, in order, each
   * starting at its segment's first record (found by time, as a DVR reader finds it); the first
   * entry carries the init in force.
   */
  static void assertIndexed(String cmafTopic) throws InterruptedException {
    String indexTopic = "camflow.index." + cmafTopic.substring("camflow.cmaf.".length());
    List<Cmaf> records = readCmaf(cmafTopic, Duration.ofSeconds(3), l -> false);
    List<Cmaf> ends =
        records.stream().filter(r -> r.record() instanceof CmafRecord.SegmentEnd).toList();
    long lastMsn = ((CmafRecord.SegmentEnd) ends.get(ends.size() - 1).record()).msn();
    // the entry of a segment follows its end record: wait for the last one read above
    List<IndexEntry> index = readIndex(indexTopic);
    for (long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        (index.isEmpty() || index.get(index.size() - 1).msn() < lastMsn)
            && System.nanoTime() < deadline; ) {
      Thread.sleep(200);
      index = readIndex(indexTopic);
    }
    index = index.stream().filter(e -> e.msn() <= lastMsn).toList();
    for (int i = 0; i < index.size(); i++) {
      CmafRecord.SegmentEnd end = (CmafRecord.SegmentEnd) ends.get(i).record();
      IndexEntry e = index.get(i);
      assertEquals(ends.get(i).timestamp(), e.startMillis(), "segment " + e.msn() + " start");
      assertEquals(end.durationMicros(), e.durationMicros());
      assertEquals(end.session(), e.session());
      assertEquals(end.init(), e.init());
      // the previous segment's last part end and its segment end are written when the keyframe
      // arrives, stamped with it: a reader steps over those two, no more
      int at = firstAtOrAfter(records, e.startMillis());
      int skipped = 0;
      while (records.get(at).record() instanceof CmafRecord.PartEnd
          || records.get(at).record() instanceof CmafRecord.SegmentEnd) {
        assertTrue(
            records.get(at).record() instanceof CmafRecord.PartEnd p ? p.msn() < e.msn() : true,
            "only the previous segment's ends come before segment " + e.msn());
        at++;
        skipped++;
      }
      Cmaf first = records.get(at);
      assertTrue(skipped <= 2, skipped + " records before segment " + e.msn() + "'s first");
      boolean opensSegment =
          first.record() instanceof CmafRecord.Init
              || first.record() instanceof CmafRecord.Chunk c && c.keyframe() && c.msn() == e.msn();
      assertTrue(opensSegment, "the record found at segment " + e.msn() + "'s start: " + first);
    }
    CmafRecord.Init init = index.get(0).initSegment();
    assertTrue(init != null, "the first entry carries the init in force");
    assertTrue(
        records.stream()
            .anyMatch(
                r ->
                    r.record() instanceof CmafRecord.Init i
                        && i.init() == init.init()
                        && java.util.Arrays.equals(i.data(), init.data())),
        "the index's init is the CMAF topic's");
  }

  /** What offsetsForTimes answers: the index of the first record stamped at or after t. */
  private static int firstAtOrAfter(List<Cmaf> records, long t) {
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).timestamp() >= t) {
        return i;
      }
    }
    throw new AssertionError("no record at or after " + t);
  }

  static long segments(List<Cmaf> records) {
    return records.stream().filter(r -> r.record() instanceof CmafRecord.SegmentEnd).count();
  }

  /** Structure every CMAF topic must have, from its first init on. */
  /**
   * The packager sampled the stream's timeline thumbnails (one per 10 s of capture time, the
   * default): each is a JPEG of a keyframe the CMAF topic has, stamped with its capture time, at
   * the thumbnail size (320x240 fits 256x144 as 192x144).
   */
  static void assertThumbnailsOfKeyframes(String thumbsTopic, List<Cmaf> records) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    List<Thumbnail> thumbnails = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(thumbsTopic, 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (thumbnails.isEmpty() && System.nanoTime() < deadline) {
        if (!c.listTopics().containsKey(thumbsTopic)) {
          Thread.sleep(200);
          continue;
        }
        c.assign(List.of(tp));
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          Map<String, byte[]> h = new HashMap<>();
          for (Header header : r.headers()) {
            h.put(header.key(), header.value());
          }
          thumbnails.add(Thumbnail.decode(h, r.value(), r.timestamp()));
        }
      }
    }
    assertFalse(thumbnails.isEmpty(), "no thumbnail on " + thumbsTopic);
    long lastRead = records.getLast().record().sourceOffset();
    for (Thumbnail t : thumbnails) {
      if (t.sourceOffset() > lastRead) {
        continue; // sampled after the CMAF records were read
      }
      Cmaf keyframe =
          records.stream()
              .filter(
                  r ->
                      r.record() instanceof CmafRecord.Chunk chunk
                          && chunk.keyframe()
                          && chunk.sourceOffset() == t.sourceOffset())
              .findFirst()
              .orElseThrow(() -> new AssertionError("not a keyframe's: " + t));
      assertEquals(keyframe.timestamp(), t.captureMillis(), "the keyframe's capture time");
      java.awt.image.BufferedImage image =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(t.jpeg()));
      assertEquals(192, image.getWidth());
      assertEquals(144, image.getHeight());
    }
  }

  static void assertWellFormed(List<Cmaf> records) {
    assertTrue(records.get(0).record() instanceof CmafRecord.Init, "an init comes first");
    long expectedMsn = -1;
    int expectedPart = 0;
    long lastSource = -1;
    Set<String> parts = new HashSet<>();
    long partSum = 0;
    for (Cmaf c : records) {
      switch (c.record()) {
        case CmafRecord.Init init -> assertTrue(init.data().length > 0);
        case CmafRecord.Chunk chunk -> {
          assertTrue(chunk.sourceOffset() > lastSource, "chunks follow the media order");
          lastSource = chunk.sourceOffset();
          if (expectedMsn < 0) {
            expectedMsn = chunk.msn();
            assertTrue(chunk.keyframe(), "a segment starts with a keyframe");
          }
          assertEquals(expectedMsn, chunk.msn());
          assertEquals(expectedPart, chunk.part());
        }
        case CmafRecord.PartEnd end -> {
          assertEquals(expectedMsn, end.msn());
          assertEquals(expectedPart, end.part());
          assertTrue(parts.add(end.msn() + "." + end.part()), "each part ends once");
          assertTrue(
              end.durationMicros() > 0 && end.durationMicros() <= 1_000_000,
              "part duration " + end);
          partSum += end.durationMicros();
          expectedPart++;
        }
        case CmafRecord.SegmentEnd end -> {
          assertEquals(expectedMsn, end.msn(), "segments count up by one");
          assertEquals(expectedPart, end.parts());
          assertEquals(end.durationMicros(), partSum, "a segment lasts as long as its parts");
          partSum = 0;
          expectedMsn++;
          expectedPart = 0;
        }
      }
    }
  }

  @Test
  void aStreamBecomesInitChunksPartsAndSegmentsThatFfmpegDecodes() throws Exception {
    createTopics("camflow.media.pkgone.main");
    CamelContext ctx = new DefaultCamelContext();
    try (PackagerService service =
            new PackagerService(
                KAFKA.bootstrapServers(),
                Duration.ofNanos(333_340_000),
                Duration.ofSeconds(2),
                ROUTES);
        MediaFeed feed =
            new MediaFeed(KAFKA.bootstrapServers(), "camflow.media.pkgone.main", units)) {
      service.configure(ctx);
      ctx.start();
      feed.start("session-1");
      List<Cmaf> records =
          readCmaf("camflow.cmaf.pkgone.main", Duration.ofSeconds(40), l -> segments(l) >= 4);
      assertTrue(segments(records) >= 4, "segments written: " + segments(records));
      assertWellFormed(records);
      assertIndexed("camflow.cmaf.pkgone.main");
      assertThumbnailsOfKeyframes("camflow.thumbs.pkgone.main", records);

      List<CmafRecord.SegmentEnd> ends =
          records.stream()
              .map(Cmaf::record)
              .filter(r -> r instanceof CmafRecord.SegmentEnd)
              .map(r -> (CmafRecord.SegmentEnd) r)
              .toList();
      assertTrue(ends.get(0).discontinuity(), "the first segment after an init is a discontinuity");
      for (CmafRecord.SegmentEnd end : ends.subList(1, ends.size())) {
        assertFalse(end.discontinuity());
        assertEquals(2_000_000, end.durationMicros(), "2 s target, 1 s GOP: two GOPs per segment");
        assertTrue(end.parts() >= 6, "333 ms parts: at least six in 2 s, was " + end.parts());
      }

      // init + every chunk from the first segment on is a stream FFmpeg decodes frame by frame
      ByteArrayOutputStream mp4 = new ByteArrayOutputStream();
      int chunks = 0;
      for (Cmaf c : records) {
        if (c.record() instanceof CmafRecord.Init || c.record() instanceof CmafRecord.Chunk) {
          mp4.writeBytes(c.record().payload());
          chunks += c.record() instanceof CmafRecord.Chunk ? 1 : 0;
        }
      }
      Path file = Files.createTempFile("camflow-cmaf", ".mp4");
      Files.write(file, mp4.toByteArray());
      Process decode =
          new ProcessBuilder(
                  "/usr/bin/ffprobe",
                  "-v",
                  "error",
                  "-count_frames",
                  "-select_streams",
                  "v:0",
                  "-show_entries",
                  "stream=nb_read_frames,codec_name,width,height",
                  "-of",
                  "csv=p=0",
                  file.toString())
              .redirectErrorStream(true)
              .start();
      String probe = new String(decode.getInputStream().readAllBytes()).trim();
      assertTrue(decode.waitFor(30, TimeUnit.SECONDS));
      assertEquals("h264,320,240," + chunks, probe, "ffprobe reads every chunk as one frame");
    } finally {
      ctx.stop();
    }
  }

  @Test
  void killedAndRestartedThePackagerLeavesNoGapAndNoDuplicate() throws Exception {
    createTopics("camflow.media.pkgkill.main");
    String cmafTopic = "camflow.cmaf.pkgkill.main";
    try (MediaFeed feed =
        new MediaFeed(KAFKA.bootstrapServers(), "camflow.media.pkgkill.main", units)) {
      Process first = startPackagerProcess();
      try {
        feed.start("session-1");
        readCmaf(cmafTopic, Duration.ofSeconds(40), l -> segments(l) >= 2);
      } finally {
        first.destroyForcibly(); // SIGKILL, mid-stream
        first.waitFor(10, TimeUnit.SECONDS);
      }
      long cmafAtKill = readCmaf(cmafTopic, Duration.ofSeconds(2), l -> false).size();
      Thread.sleep(2_000); // the camera goes on while no packager runs
      Process second = startPackagerProcess();
      try {
        readCmaf(
            cmafTopic,
            Duration.ofSeconds(60),
            l ->
                l.size() > cmafAtKill
                    && segments(l) >= segments(l.subList(0, (int) cmafAtKill)) + 3);
      } finally {
        second.destroy();
        second.waitFor(10, TimeUnit.SECONDS);
      }
      List<Cmaf> records = readCmaf(cmafTopic, Duration.ofSeconds(3), l -> false);
      assertTrue(records.size() > cmafAtKill, "the restarted packager went on");
      assertWellFormed(records);
      assertIndexed(cmafTopic);
      // no gap: from the first chunk on, every media offset became exactly one chunk
      List<Long> sources =
          records.stream()
              .map(Cmaf::record)
              .filter(r -> r instanceof CmafRecord.Chunk)
              .map(CmafRecord::sourceOffset)
              .toList();
      for (int i = 1; i < sources.size(); i++) {
        assertEquals(
            sources.get(i - 1) + 1, sources.get(i), "media offset after " + sources.get(i - 1));
      }
    }
  }

  @Test
  void twoPackagersShareTheStreamsAndTheSurvivorOfAKillContinuesWithoutGapOrDuplicate()
      throws Exception {
    List<String> media =
        List.of(
            "camflow.media.pkgpair1.main",
            "camflow.media.pkgpair2.main",
            "camflow.media.pkgpair3.main",
            "camflow.media.pkgpair4.main");
    createTopics(media.toArray(String[]::new));
    List<MediaFeed> feeds = new ArrayList<>();
    Process a = startPackagerProcess("packager-pair-a");
    Process b = startPackagerProcess("packager-pair-b");
    try {
      for (String topic : media) {
        feeds.add(new MediaFeed(KAFKA.bootstrapServers(), topic, units).start("session-1"));
      }
      for (String topic : media) {
        readCmaf(cmafOf(topic), Duration.ofSeconds(60), l -> segments(l) >= 2);
      }
      Map<String, String> owners = owners(media, Duration.ofSeconds(30));
      assertEquals(
          Set.of("packager-pair-a", "packager-pair-b"),
          Set.copyOf(owners.values()),
          "both packagers own streams: " + owners);

      a.destroyForcibly(); // SIGKILL, mid-stream; b takes a's streams after the session timeout
      a.waitFor(10, TimeUnit.SECONDS);
      Map<String, Long> segmentsAtKill = new HashMap<>();
      for (String topic : media) {
        segmentsAtKill.put(
            topic, segments(readCmaf(cmafOf(topic), Duration.ofSeconds(2), l -> false)));
      }
      for (String topic : media) {
        List<Cmaf> records =
            readCmaf(
                cmafOf(topic),
                Duration.ofSeconds(60),
                l -> segments(l) >= segmentsAtKill.get(topic) + 3);
        assertTrue(
            segments(records) >= segmentsAtKill.get(topic) + 3, topic + " goes on after the kill");
      }
      assertEquals(
          Set.of("packager-pair-b"), Set.copyOf(owners(media, Duration.ofSeconds(5)).values()));
      for (MediaFeed f : feeds) {
        f.close();
      }
      for (String topic : media) {
        List<Cmaf> records = readCmaf(cmafOf(topic), Duration.ofSeconds(3), l -> false);
        assertWellFormed(records);
        assertContiguous(records);
        assertIndexed(cmafOf(topic));
      }
    } finally {
      for (MediaFeed f : feeds) {
        f.close();
      }
      a.destroyForcibly();
      b.destroyForcibly();
      a.waitFor(10, TimeUnit.SECONDS);
      b.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String cmafOf(String mediaTopic) {
    return "camflow.cmaf." + mediaTopic.substring("camflow.media.".length());
  }

  /** No gap, no duplicate: from the first chunk on, every media offset became exactly one chunk. */
  private static void assertContiguous(List<Cmaf> records) {
    List<Long> sources =
        records.stream()
            .map(Cmaf::record)
            .filter(r -> r instanceof CmafRecord.Chunk)
            .map(CmafRecord::sourceOffset)
            .toList();
    for (int i = 1; i < sources.size(); i++) {
      assertEquals(
          sources.get(i - 1) + 1, sources.get(i), "media offset after " + sources.get(i - 1));
    }
  }

  /**
   * Which packager (static member id) the group assigned each topic to, once every topic has one
   * live owner; the group's own view, from the broker.
   */
  private static Map<String, String> owners(List<String> topics, Duration timeout)
      throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    Map<String, String> owners = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(p)) {
      do {
        owners.clear();
        ConsumerGroupDescription group =
            admin
                .describeConsumerGroups(List.of("camflow-packager"))
                .describedGroups()
                .get("camflow-packager")
                .get(10, TimeUnit.SECONDS);
        for (MemberDescription m : group.members()) {
          for (TopicPartition tp : m.assignment().topicPartitions()) {
            if (topics.contains(tp.topic())) {
              owners.put(tp.topic(), m.groupInstanceId().orElse(m.consumerId()));
            }
          }
        }
        if (owners.keySet().containsAll(topics)
            && owners.values().stream().allMatch(o -> o.startsWith("packager-pair"))) {
          return owners;
        }
        Thread.sleep(500);
      } while (System.nanoTime() < deadline);
    }
    return owners;
  }

  private static Process startPackagerProcess() throws Exception {
    return startPackagerProcess("packager-it");
  }

  private static Process startPackagerProcess(String instanceId) throws Exception {
    String classpath =
        System.getProperty("java.class.path"); // this build's classes and dependencies
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(java, "-cp", classpath, "io.camflow.packager.PackagerMain")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(Path.of("target", instanceId + ".log").toFile()));
    pb.environment().put("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
    pb.environment().put("CAMFLOW_ROUTES", ROUTES.getParent().toAbsolutePath().toString());
    pb.environment().put("CAMFLOW_INSTANCE_ID", instanceId);
    pb.environment().put("CAMFLOW_METRICS_PORT", "off"); // two at once would share the default port
    return pb.start();
  }
}
