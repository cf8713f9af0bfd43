package io.camflow.ingest.topics;

import io.camflow.media.StreamKey;
import io.camflow.media.Topics;
import io.camflow.registry.TopicReplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates camflow's topics before any route writes to them, with the settings the record format
 * relies on: one partition per stream (order), retention = the camera's DVR window (and its size
 * bound, when it has one), room for a 4K keyframe, log segments short enough that deletion follows
 * the retention closely. Existing stream topics get their retention brought in line with the
 * configuration.
 */
public final class TopicProvisioner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  /** Largest record camflow writes: a 4K keyframe with headroom. Producers use the same limit. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  public static final String STATUS_TOPIC = Topics.STATUS;
  public static final String DEMAND_TOPIC = Topics.DEMAND;

  private final Admin admin;

  public TopicProvisioner(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "camflow-ingest-admin");
    this.admin = Admin.create(p);
  }

  /** Shortest and longest log segment of a stream topic: the granularity of deletion. */
  static final Duration SEGMENT_MIN = Duration.ofMinutes(1);

  static final Duration SEGMENT_MAX = Duration.ofHours(1);

  /**
   * Smallest log segment of a size-bounded topic: a 4K keyframe's record still fits one, and a
   * bounded camera does not cost the broker many more files than an unbounded one.
   */
  static final long SEGMENT_BYTES_MIN = MAX_MESSAGE_BYTES;

  /** Largest: Kafka's own default {@code log.segment.bytes}. */
  static final long SEGMENT_BYTES_MAX = 1L << 30;

  /**
   * The four topics of a stream with the camera's DVR retention: access units, CMAF, the
   * recording's time index, which keeps a little less (see {@link #indexTopic}), and its timeline
   * thumbnails.
   */
  public static List<NewTopic> streamTopics(StreamKey key, Duration retention) {
    return streamTopics(key, retention, null);
  }

  /**
   * As {@link #streamTopics(StreamKey, Duration)}, the access-unit and CMAF topics each keeping at
   * most {@code maxSize} bytes ({@code dvr.maxSize}; null: by time only). The index and the
   * thumbnails stay bounded by time: they are tiny, the recording's readers skip index entries of
   * segments the CMAF topic no longer has (delivery's {@code RecordingIndex}), and the timeline
   * shows thumbnails only where there is a recording.
   */
  public static List<NewTopic> streamTopics(StreamKey key, Duration retention, Long maxSize) {
    return List.of(
        streamTopic(key.mediaTopic(), retention, maxSize),
        streamTopic(key.cmafTopic(), retention, maxSize),
        indexTopic(key.indexTopic(), retention),
        streamTopic(key.thumbsTopic(), retention));
  }

  /**
   * How long a log segment of a stream topic stays open: a tenth of the retention, from {@link
   * #SEGMENT_MIN} to {@link #SEGMENT_MAX}. Kafka deletes whole closed segments, so a recording
   * outlives its retention by at most this much (docs/dvr.md).
   */
  static Duration segmentDuration(Duration retention) {
    return tenth(retention, SEGMENT_MIN);
  }

  /** A log segment of the index: a tenth of the retention, from 1 s to {@link #SEGMENT_MAX}. */
  static Duration indexSegmentDuration(Duration retention) {
    return tenth(retention, Duration.ofSeconds(1));
  }

  private static Duration tenth(Duration retention, Duration min) {
    Duration tenth = retention.dividedBy(10);
    return tenth.compareTo(min) < 0 ? min : tenth.compareTo(SEGMENT_MAX) > 0 ? SEGMENT_MAX : tenth;
  }

  /**
   * How large a log segment of a size-bounded topic grows: a tenth of the bound, from {@link
   * #SEGMENT_BYTES_MIN} to {@link #SEGMENT_BYTES_MAX}. Kafka deletes whole closed segments, the
   * oldest first, and only while what is left stays at or above the bound, so a topic holds at most
   * about one segment more than its bound (docs/dvr.md).
   */
  static long segmentBytes(long maxSize) {
    return Math.clamp(maxSize / 10, SEGMENT_BYTES_MIN, SEGMENT_BYTES_MAX);
  }

  /** A stream's access-unit or CMAF topic: one partition, the camera's DVR retention. */
  public static NewTopic streamTopic(String name, Duration retention) {
    return streamTopic(name, retention, null);
  }

  /**
   * As {@link #streamTopic(String, Duration)}, keeping at most {@code maxSize} bytes (one
   * partition, so the partition's {@code retention.bytes} is the topic's); null: by time only.
   */
  public static NewTopic streamTopic(String name, Duration retention, Long maxSize) {
    NewTopic t = topic(name, retention, segmentDuration(retention));
    if (maxSize == null) {
      return t;
    }
    Map<String, String> configs = new java.util.HashMap<>(t.configs());
    configs.put("retention.bytes", Long.toString(maxSize));
    configs.put("segment.bytes", Long.toString(segmentBytes(maxSize)));
    return t.configs(Map.copyOf(configs));
  }

  /**
   * A stream's index topic: kept one of its log segments less than the CMAF topic, so its entries
   * are deleted before (or with) the segments they point at and never name one that is gone: an
   * entry at t goes at the latest once its log segment's newest entry, at most one index segment
   * later, is older than the index's retention, by then t + the CMAF retention; the CMAF records of
   * t go at the earliest then (docs/record-format.md, "Index").
   */
  static NewTopic indexTopic(String name, Duration retention) {
    Duration segment = indexSegmentDuration(retention);
    return topic(name, retention.minus(segment), segment);
  }

  private static NewTopic topic(String name, Duration retention, Duration segment) {
    return new NewTopic(name, 1, (short) 1)
        .configs(
            Map.of(
                "retention.ms",
                Long.toString(retention.toMillis()),
                "segment.ms",
                Long.toString(segment.toMillis()),
                // by time only unless the camera has a size bound (streamTopic): a broker's
                // log.retention.bytes (1 GiB in ./camflow up's, about 35 min of a 4 Mbit/s camera)
                // would otherwise cut the recording short
                "retention.bytes",
                "-1",
                "max.message.bytes",
                Integer.toString(MAX_MESSAGE_BYTES),
                "message.timestamp.type",
                "CreateTime",
                "cleanup.policy",
                "delete"));
  }

  /** The compacted control topics: per-stream state, viewer demand and the camera registry. */
  public static List<NewTopic> controlTopics() {
    return List.of(
        io.camflow.registry.RegistryTopic.cameras(),
        new NewTopic(STATUS_TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
        new NewTopic(DEMAND_TOPIC, 1, (short) 1)
            .configs(
                Map.of(
                    "cleanup.policy",
                    "compact,delete",
                    "retention.ms",
                    Long.toString(Duration.ofHours(1).toMillis()))));
  }

  /**
   * The ingest ownership topic: its partitions are what the {@code camflow-ingest} group assigns;
   * it carries no records, so the shortest useful retention.
   */
  public static NewTopic ownershipTopic(String name, int partitions) {
    return new NewTopic(name, partitions, (short) 1)
        .configs(
            Map.of(
                "cleanup.policy",
                "delete",
                "retention.ms",
                Long.toString(Duration.ofHours(1).toMillis())));
  }

  /**
   * Creates the missing topics and aligns the retention of existing ones: {@code retention.ms},
   * {@code segment.ms} and {@code retention.bytes} as wanted, and on stream topics (those with a
   * {@code retention.bytes}) {@code segment.bytes} too: set with a size bound, back to the broker's
   * default without one.
   */
  public void ensure(List<NewTopic> wanted, Duration timeout) throws InterruptedException {
    try {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      TopicReplication replication = TopicReplication.current();
      for (NewTopic t : wanted) {
        if (!existing.contains(t.name())) {
          missing.add(replication.apply(t));
        } else if (t.configs() != null && t.configs().containsKey("retention.ms")) {
          alignRetention(t, timeout);
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TopicExistsException) {
        return; // another instance created it first
      }
      throw new IllegalStateException(
          "cannot provision Kafka topics: " + cause.getMessage(), cause);
    }
  }

  private void alignRetention(NewTopic t, Duration timeout)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
    List<AlterConfigOp> ops = alignment(t.configs());
    admin
        .incrementalAlterConfigs(Map.of(resource, ops))
        .all()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What {@link #ensure} changes on an existing topic that should have {@code configs}. */
  static List<AlterConfigOp> alignment(Map<String, String> configs) {
    List<AlterConfigOp> ops = new ArrayList<>();
    for (String key : List.of("retention.ms", "segment.ms", "retention.bytes", "segment.bytes")) {
      if (configs.containsKey(key)) {
        ops.add(
            new AlterConfigOp(new ConfigEntry(key, configs.get(key)), AlterConfigOp.OpType.SET));
      } else if (key.equals("segment.bytes") && configs.containsKey("retention.bytes")) {
        // a size bound removed: its small log segments go with it
        ops.add(new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE));
      }
    }
    return ops;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
