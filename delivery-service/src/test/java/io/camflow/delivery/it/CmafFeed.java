package io.camflow.delivery.it;

import io.camflow.media.AccessUnit;
import io.camflow.media.fmp4.Fragment;
import io.camflow.media.fmp4.InitSegment;
import io.camflow.media.fmp4.Sample;
import io.camflow.media.fmp4.TrackFormat;
import io.camflow.media.fmp4.TrackRun;
import io.camflow.media.hls.PartSchedule;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import io.camflow.testsupport.EncodedStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a CMAF topic (and the recording's index) the way the packager does (one session, video
 * only): an init segment, one moof+mdat chunk per access unit, part and segment ends as {@link
 * PartSchedule} cuts them, at camera pace from a background thread, looping the encoded clip with
 * continuous timestamps. Remembers when each part end was acknowledged, to time blocking requests
 * against it.
 */
public final class CmafFeed implements AutoCloseable {

  private static final String SESSION = "it-session";
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final List<AccessUnit> clip;
  private final PartSchedule schedule = new PartSchedule();
  private final Thread thread;
  private volatile boolean running = true;

  /** "msn.part" -> System.nanoTime() when its part end was acknowledged. */
  final Map<String, Long> partWritten = new ConcurrentHashMap<>();

  volatile long segmentsWritten;

  private long initId = -1;
  private CmafRecord.Init init;
  private boolean segmentOpen;
  private long msn = -1;
  private int part;
  private long segmentStartDts;
  private long partStartDts;
  private boolean partIndependent;
  private long segmentCaptureMillis;

  public CmafFeed(String bootstrap, String topic, List<AccessUnit> clip) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("linger.ms", "0");
    p.put("max.request.size", Integer.toString(16 * 1024 * 1024));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.clip = clip;
    this.thread = new Thread(this::run, "cmaf-feed");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** false while {@link #record} fills a recording: sends are not awaited one by one. */
  private boolean awaitEach = true;

  /**
   * Writes {@code frames} access units of a recording as fast as the broker takes them, stamped as
   * if captured from {@code startMillis} on at camera pace (benchmarks fill hours of it this way).
   */
  public void record(long startMillis, long frames) throws Exception {
    awaitEach = false;
    try {
      for (long i = 0; i < frames; i++) {
        accept(i, EncodedStream.looped(clip, i), startMillis + i * 1000 / EncodedStream.FPS);
      }
      producer.flush();
    } finally {
      awaitEach = true;
    }
  }

  private void run() {
    long start = System.currentTimeMillis();
    try {
      for (long i = 0; running; i++) {
        long due = start + i * 1000 / EncodedStream.FPS;
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        AccessUnit au = EncodedStream.looped(clip, i);
        accept(i, au, due);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void accept(long offset, AccessUnit au, long captureMillis) throws Exception {
    if (initId < 0) {
      if (!au.keyframe()) {
        return;
      }
      initId = offset;
      init =
          new CmafRecord.Init(
              SESSION,
              offset,
              initId,
              "avc1",
              320,
              240,
              InitSegment.write(List.of(TrackFormat.video(1, au.codec(), au.codecConfig()))));
      send(init, captureMillis);
    }
    switch (schedule.next(au.dts(), au.timebase(), au.keyframe())) {
      case DROP -> {
        return;
      }
      case SEGMENT -> {
        if (segmentOpen) {
          closeSegment(offset, au.dts(), captureMillis);
        }
        segmentOpen = true;
        msn++;
        part = 0;
        segmentStartDts = au.dts();
        partStartDts = au.dts();
        partIndependent = au.keyframe();
        segmentCaptureMillis = captureMillis;
      }
      case PART -> {
        closePart(offset, au.dts(), captureMillis);
        part++;
        partStartDts = au.dts();
        partIndependent = au.keyframe();
      }
      case NONE -> {}
    }
    byte[] data =
        Fragment.write(
            (int) offset,
            List.of(
                new TrackRun(
                    1,
                    au.dts(),
                    List.of(Sample.fromAccessUnit(au, (int) EncodedStream.FRAME_TICKS)))));
    send(
        new CmafRecord.Chunk(
            SESSION, offset, initId, 1, au.dts(), au.timebase(), au.keyframe(), msn, part, data),
        captureMillis);
  }

  private void closePart(long offset, long endDts, long captureMillis) throws Exception {
    send(
        new CmafRecord.PartEnd(
            SESSION,
            offset - 1,
            initId,
            msn,
            part,
            (endDts - partStartDts) * 1_000_000 / 90_000,
            partIndependent),
        captureMillis);
    partWritten.put(msn + "." + part, System.nanoTime());
  }

  private void closeSegment(long offset, long endDts, long captureMillis) throws Exception {
    closePart(offset, endDts, captureMillis);
    CmafRecord.SegmentEnd end =
        new CmafRecord.SegmentEnd(
            SESSION,
            offset - 1,
            initId,
            msn,
            (endDts - segmentStartDts) * 1_000_000 / 90_000,
            part + 1,
            msn == 0);
    send(end, segmentCaptureMillis);
    sendIndex(IndexEntry.of(end, segmentCaptureMillis, checkpoint() ? init : null));
    segmentsWritten++;
  }

  private long lastCheckpointMillis = Long.MIN_VALUE;

  /** Whether this segment's index entry carries the init, as the packager decides it. */
  private boolean checkpoint() {
    if (msn == 0
        || segmentCaptureMillis - lastCheckpointMillis >= IndexEntry.INIT_CHECKPOINT_MILLIS) {
      lastCheckpointMillis = segmentCaptureMillis;
      return true;
    }
    return false;
  }

  /** The recording's index entry of a segment, as the packager writes it after the segment. */
  private void sendIndex(IndexEntry e) throws Exception {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            "camflow.index." + topic.substring("camflow.cmaf.".length()),
            0,
            e.startMillis(),
            null,
            e.payload());
    e.headers().forEach((k, v) -> record.headers().add(k, v));
    send(record);
  }

  private void send(CmafRecord r, long timestamp) throws Exception {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, 0, timestamp, null, r.payload());
    r.headers().forEach((k, v) -> record.headers().add(k, v));
    send(record);
  }

  private void send(ProducerRecord<byte[], byte[]> record) throws Exception {
    var sent = producer.send(record);
    if (awaitEach) {
      sent.get();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    if (thread.isAlive()) {
      thread.join(5_000);
    }
    producer.close();
  }
}
