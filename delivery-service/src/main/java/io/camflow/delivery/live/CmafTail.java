package io.camflow.delivery.live;

import io.camflow.media.record.CmafRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Where a new viewer's window starts in a CMAF topic: just after the segment end {@code segments}
 * complete segments before the live edge, so the first playlist already lists them (players start a
 * few segments from the end) and the chunks of the current GOP follow — the Kafka topic is the GOP
 * cache. The init segment in force there may be much older (one per camera session): it is found by
 * reading further back, keeping only init records in memory.
 */
final class CmafTail {

  /** A CMAF record with its Kafka offset and timestamp. */
  record Positioned(long offset, long timestampMillis, CmafRecord record) {}

  /** Where to consume from, and the init record to feed first (null if none is needed). */
  record Start(long offset, Positioned init) {}

  private static final Duration POLL = Duration.ofMillis(200);
  private static final int FIRST_STEP = 256;
  private static final int MAX_STEP = 16_384;

  private CmafTail() {}

  static Start find(Consumer<byte[], byte[]> consumer, TopicPartition tp, int segments) {
    long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    List<Positioned> segmentEnds = new ArrayList<>(); // newest first
    Map<Long, Positioned> initsById = new HashMap<>();
    long lastInitInUse = -1;
    long start = -1;
    long neededInit = -1;
    int step = FIRST_STEP;
    for (long to = end; to > begin; step = Math.min(step * 2, MAX_STEP)) {
      long from = Math.max(begin, to - step);
      List<Positioned> read = read(consumer, tp, from, to);
      for (int i = read.size() - 1; i >= 0; i--) {
        Positioned p = read.get(i);
        if (lastInitInUse < 0) {
          lastInitInUse = p.record().init();
        }
        switch (p.record()) {
          case CmafRecord.SegmentEnd e -> segmentEnds.add(p);
          case CmafRecord.Init init -> initsById.putIfAbsent(init.init(), p);
          default -> {}
        }
      }
      to = from;
      if (start < 0 && segmentEnds.size() > segments) {
        Positioned before =
            segmentEnds.get(segments); // the end of the segment before the first served
        start = before.offset() + 1;
        neededInit = segmentEnds.get(segments - 1).record().init();
      }
      if (start >= 0 && initsById.containsKey(neededInit)) {
        Positioned init = initsById.get(neededInit);
        return new Start(start, init.offset() < start ? init : null);
      }
    }
    if (start >= 0) {
      return new Start(start, null); // the init is gone (retention): segments wait for the next one
    }
    // fewer segments than wanted: everything there is, from the newest init of the last session
    Positioned init = initsById.get(lastInitInUse);
    return new Start(init == null ? begin : init.offset(), null);
  }

  private static List<Positioned> read(
      Consumer<byte[], byte[]> consumer, TopicPartition tp, long from, long to) {
    List<Positioned> out = new ArrayList<>();
    consumer.seek(tp, from);
    int emptyPolls = 0;
    while (consumer.position(tp) < to && emptyPolls < 25) {
      var batch = consumer.poll(POLL);
      emptyPolls = batch.isEmpty() ? emptyPolls + 1 : 0;
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        if (r.offset() < to) {
          Positioned p = decode(r);
          // only the markers stay in memory, not the chunks (the scan may go back a long way)
          if (p != null && (!(p.record() instanceof CmafRecord.Chunk) || r.offset() == to - 1)) {
            out.add(p);
          }
        }
      }
    }
    return out;
  }

  /** The record as CMAF, or null for one that is not (logged by the caller's feed). */
  static Positioned decode(ConsumerRecord<byte[], byte[]> r) {
    Map<String, byte[]> h = new HashMap<>();
    for (Header header : r.headers()) {
      h.put(header.key(), header.value());
    }
    try {
      return new Positioned(r.offset(), r.timestamp(), CmafRecord.decode(h, r.value()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
