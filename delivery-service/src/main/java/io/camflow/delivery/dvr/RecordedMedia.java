package io.camflow.delivery.dvr;

import io.camflow.media.StreamKey;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The bytes of a recording: a recorded CMAF segment, read from the stream's CMAF topic where its
 * index entry says it starts (docs/record-format.md, "Index"), and the init segment in force for
 * it, from the index's nearest checkpoint. One consumer without a group, one call at a time
 * (callers run on the DVR executor); inits are kept once found (a few hundred bytes each).
 */
public final class RecordedMedia implements AutoCloseable {

  private static final Duration POLL = RecordingConsumer.POLL;

  /** Most bytes one segment may have (a 30 s GOP of 4K at 20 Mbit/s is 75 MB: refused). */
  static final int MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

  /** Most records read past a segment's start before its first chunk must have come. */
  private static final int MAX_LEAD_RECORDS = 8;

  private final RecordingConsumer reader;
  private final KafkaConsumer<byte[], byte[]> consumer;

  /** Records fetched and not read yet, of {@link #readingOn}'s partition. */
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();

  /** The partition whose next segment can be read on without a seek, or null. */
  private TopicPartition readingOn;

  private long nextMsn = -1;
  private final Map<String, CmafRecord.Init> inits =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CmafRecord.Init> eldest) {
          return size() > 256;
        }
      };

  public RecordedMedia(String bootstrapServers) {
    // fetches of a segment or two: a larger record batch (a 4K keyframe) still comes whole, as
    // Kafka returns the first batch whatever its size
    reader = new RecordingConsumer(bootstrapServers, "camflow-delivery-dvr", 2 * 1024 * 1024);
    consumer = reader.consumer;
  }

  /**
   * Segment {@code msn} of {@code key}'s recording, which starts at {@code startMillis}: the
   * concatenation of its chunks, as live HLS serves it. Empty when it is not there (retention took
   * it, or no segment {@code msn} starts then).
   *
   * <p>Reading the segment right after the last one read (a clip, a player going on) takes no
   * lookup and no seek: the records after the last segment's end, already fetched, are read on.
   */
  public synchronized Optional<byte[]> segment(StreamKey key, long msn, long startMillis) {
    TopicPartition tp = new TopicPartition(key.cmafTopic(), 0);
    boolean onward = tp.equals(readingOn) && msn == nextMsn;
    readingOn = null;
    if (!onward) {
      if (!reader.exists(tp.topic())) {
        return Optional.empty();
      }
      consumer.assign(List.of(tp));
      pending.clear();
      OffsetAndTimestamp at = consumer.offsetsForTimes(Map.of(tp, startMillis)).get(tp);
      if (at == null) {
        return Optional.empty();
      }
      consumer.seek(tp, at.offset());
    }
    Optional<byte[]> segment = readSegment(tp, key, msn);
    if (segment.isPresent()) {
      readingOn = tp;
      nextMsn = msn + 1;
    }
    return segment;
  }

  /**
   * The segment {@code msn} read on from the consumer's position: its chunks up to its end record;
   * empty if its first chunk (a keyframe) is not among the first records read.
   */
  private Optional<byte[]> readSegment(TopicPartition tp, StreamKey key, long msn) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int before = 0;
    boolean started = false;
    long deadline = System.nanoTime() + RecordingConsumer.READ_TIMEOUT.toNanos();
    for (ConsumerRecord<byte[], byte[]> r; (r = next(tp, deadline)) != null; ) {
      CmafRecord c = CmafRecord.decode(RecordingConsumer.headers(r), r.value());
      switch (c) {
        case CmafRecord.Chunk chunk when chunk.msn() == msn -> {
          if (!started && !chunk.keyframe()) {
            return Optional.empty(); // not the segment's start
          }
          started = true;
          if (out.size() + chunk.data().length > MAX_SEGMENT_BYTES) {
            throw new IllegalStateException("segment " + msn + " of " + key + " is too large");
          }
          out.writeBytes(chunk.data());
        }
        case CmafRecord.SegmentEnd s when s.msn() == msn -> {
          return started ? Optional.of(out.toByteArray()) : Optional.empty();
        }
        default -> {
          if (!started && ++before > MAX_LEAD_RECORDS) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty(); // the segment has not ended (yet), or the broker is too slow
  }

  /**
   * The next record of {@code tp}: one fetched already, or from the broker; null at the end of the
   * partition or the deadline.
   */
  private ConsumerRecord<byte[], byte[]> next(TopicPartition tp, long deadline) {
    while (pending.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return null;
      }
      List<ConsumerRecord<byte[], byte[]>> fetched = consumer.poll(POLL).records(tp);
      if (fetched.isEmpty()) {
        if (consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp)) {
          return null;
        }
      }
      pending.addAll(fetched);
    }
    return pending.poll();
  }

  /**
   * The init segment {@code init} of {@code key}, in force for the segment that starts at {@code
   * atMillis}: from the index entry that last carried it, at most {@link
   * IndexEntry#INIT_CHECKPOINT_MILLIS} before; or, where retention took that one, from the next
   * that carries the same init (an init's id names its bytes). Empty when neither is kept.
   */
  public synchronized Optional<CmafRecord.Init> init(StreamKey key, long init, long atMillis) {
    String name = key + "#" + init;
    CmafRecord.Init known = inits.get(name);
    if (known != null) {
      return Optional.of(known);
    }
    TopicPartition tp = new TopicPartition(key.indexTopic(), 0);
    if (!reader.exists(tp.topic())) {
      return Optional.empty();
    }
    readingOn = null;
    consumer.assign(List.of(tp));
    long reach = IndexEntry.INIT_CHECKPOINT_MILLIS + 60_000;
    OffsetAndTimestamp at =
        consumer.offsetsForTimes(Map.of(tp, Math.max(0, atMillis - reach))).get(tp);
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    consumer.seek(tp, at == null ? begin : at.offset());
    CmafRecord.Init found = null;
    long deadline = System.nanoTime() + RecordingConsumer.READ_TIMEOUT.toNanos();
    read:
    while (consumer.position(tp) < end && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        IndexEntry e = IndexEntry.decode(RecordingConsumer.headers(r), r.value(), r.timestamp());
        boolean after = e.startMillis() > atMillis;
        if (after && (found != null || e.startMillis() > atMillis + reach)) {
          break read;
        }
        if (e.initSegment() != null && e.init() == init) {
          found = e.initSegment();
          if (after) {
            break read;
          }
        }
      }
    }
    if (found != null) {
      inits.put(name, found);
    }
    return Optional.ofNullable(found);
  }

  @Override
  public synchronized void close() {
    reader.close();
  }
}
