package io.camflow.delivery.rtsp;

import io.camflow.delivery.gop.KeyframeSeek;
import io.camflow.delivery.whep.RtcStream;
import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.fmp4.AudioSpecificConfig;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.media.rtp.AacPacketizer;
import io.camflow.media.rtp.AudioPacketizer;
import io.camflow.media.rtp.H264Packetizer;
import io.camflow.media.rtp.H265Packetizer;
import io.camflow.media.rtp.RtpFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording of a stream played to one RTSP reader from an instant on ({@code ?start=}, docs/
 * rtsp.md "Replay"): its media topic read from the video keyframe at or before the instant (found
 * by {@code offsetsForTimes} and a short read back), every access unit packetized as the live
 * stream's are and handed to the reader at the pace it was recorded (by the records' capture
 * times). It goes on past the recording's end into what is recorded meanwhile, one start-to-now
 * behind live. {@code PAUSE} stops it where it is; {@code PLAY} goes on from there. One consumer
 * without a group per reader, on a thread of its own while it plays.
 */
final class RecordedSource implements RtspReader.Source, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RecordedSource.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /** How far after the keyframe a description looks for the stream's audio. */
  private static final long AUDIO_LOOK_MILLIS = 2_000;

  private final StreamKey key;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition tp;
  private final StreamDescription description;
  private final Instant from;
  private final H264Packetizer h264 = new H264Packetizer();
  private final H265Packetizer h265 = new H265Packetizer();
  private final AudioPacketizer g711 = AudioPacketizer.g711(H264Packetizer.DEFAULT_MAX_PAYLOAD);
  private final AacPacketizer aac = new AacPacketizer(H264Packetizer.DEFAULT_MAX_PAYLOAD);
  private long position;

  /** The thread that plays or played last: a new one waits for it to let go of the consumer. */
  private Thread last;

  /** Whether a reader is joined; the playing thread goes on while its generation is current. */
  private boolean joined;

  private volatile int generation;
  private volatile boolean closed;
  private final Runnable release;

  private RecordedSource(
      StreamKey key,
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      StreamDescription description,
      long position,
      Instant from,
      Runnable release) {
    this.release = release;
    this.key = key;
    this.consumer = consumer;
    this.tp = tp;
    this.description = description;
    this.position = position;
    this.from = from;
  }

  /**
   * Finds what is recorded of {@code key} at {@code start} (blocking: call off the event loop).
   *
   * @param release gives back the replay's place: run once, when it is closed or when nothing is
   *     found
   * @return empty when nothing is: before the oldest record, after the newest, or no video
   */
  static Optional<RecordedSource> open(
      String bootstrapServers, StreamKey key, Instant start, Runnable release) {
    Optional<RecordedSource> found = Optional.empty();
    try {
      found = find(bootstrapServers, key, start, release);
      return found;
    } finally {
      if (found.isEmpty()) {
        release.run();
      }
    }
  }

  private static Optional<RecordedSource> find(
      String bootstrapServers, StreamKey key, Instant start, Runnable release) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("enable.auto.commit", "false");
    p.put("fetch.max.wait.ms", "100");
    p.put("max.partition.fetch.bytes", Integer.toString(4 * 1024 * 1024));
    p.put("client.id", "camflow-delivery-rtsp-replay");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      TopicPartition tp = new TopicPartition(key.mediaTopic(), 0);
      if (consumer.partitionsFor(tp.topic(), READ_TIMEOUT).isEmpty()) {
        consumer.close();
        return Optional.empty();
      }
      consumer.assign(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), READ_TIMEOUT).get(tp);
      long millis = start.toEpochMilli();
      OffsetAndTimestamp later =
          consumer.offsetsForTimes(Map.of(tp, millis + 1), READ_TIMEOUT).get(tp);
      long after = later == null ? end : later.offset();
      ConsumerRecord<byte[], byte[]> keyframe =
          after == 0
              ? null
              : KeyframeSeek.lastKeyframeBefore(consumer, tp, after, r -> r.timestamp() <= millis);
      if (keyframe == null || (later == null && millis - keyframe.timestamp() > 60_000)) {
        consumer.close();
        return Optional.empty(); // before the recording, or well after its end
      }
      AccessUnit first = unit(keyframe).orElse(null);
      if (first == null || first.codecConfig() == null) {
        consumer.close();
        return Optional.empty();
      }
      StreamDescription d = describe(consumer, tp, keyframe, first, end);
      return Optional.of(
          new RecordedSource(
              key,
              consumer,
              tp,
              d,
              keyframe.offset(),
              Instant.ofEpochMilli(keyframe.timestamp()),
              release));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** The video of the keyframe, and the audio of the records after it, if any shows soon. */
  private static StreamDescription describe(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      ConsumerRecord<byte[], byte[]> keyframe,
      AccessUnit video,
      long end) {
    List<byte[]> sets = AnnexB.split(video.codecConfig());
    consumer.seek(tp, keyframe.offset() + 1);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(tp) < end && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        if (r.timestamp() > keyframe.timestamp() + AUDIO_LOOK_MILLIS) {
          return new StreamDescription(video.codec(), sets, null);
        }
        Optional<AccessUnit> au = unit(r);
        if (au.isEmpty() || au.get().codec().isVideo()) {
          continue;
        }
        Codec audio = au.get().codec();
        if (audio == Codec.PCMU || audio == Codec.PCMA) {
          return new StreamDescription(video.codec(), sets, audio);
        }
        if (audio == Codec.AAC && au.get().codecConfig() != null) {
          AudioSpecificConfig asc = AudioSpecificConfig.parse(au.get().codecConfig());
          return new StreamDescription(
              video.codec(),
              sets,
              Codec.AAC,
              au.get().codecConfig(),
              asc.sampleRate(),
              Math.max(1, asc.channels()));
        }
      }
    }
    return new StreamDescription(video.codec(), sets, null);
  }

  private static Optional<AccessUnit> unit(ConsumerRecord<byte[], byte[]> r) {
    Map<String, byte[]> headers = new HashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value());
    }
    try {
      return Optional.of(MediaRecordFormat.decode(headers, r.value()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not an access unit
    }
  }

  StreamDescription description() {
    return description;
  }

  /** The capture time of the keyframe playback starts at. */
  Instant from() {
    return from;
  }

  @Override
  public synchronized boolean join(RtcStream.Reader reader) {
    if (closed) {
      return false;
    }
    if (joined) {
      return true;
    }
    joined = true;
    int gen = ++generation;
    Thread before = last;
    last =
        Thread.ofVirtual()
            .name("camflow-rtsp-replay-" + key)
            .start(
                () -> {
                  join(before);
                  play(reader, gen);
                });
    return true;
  }

  @Override
  public synchronized void leave(RtcStream.Reader reader) {
    joined = false;
    generation++;
  }

  /** Ends the playback; the consumer is closed once no thread uses it. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      joined = false;
      generation++;
      t = last;
    }
    Thread.ofVirtual()
        .start(
            () -> {
              join(t);
              consumer.close(Duration.ZERO);
              release.run();
            });
  }

  private static void join(Thread before) {
    if (before != null) {
      try {
        before.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Hands the reader the records from the position on, at their recorded pace, until stopped. */
  private void play(RtcStream.Reader reader, int gen) {
    if (closed || gen != generation) {
      return;
    }
    try {
      consumer.seek(tp, position);
      long wallStart = System.nanoTime();
      long recordStart = Long.MIN_VALUE;
      while (gen == generation) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (recordStart == Long.MIN_VALUE) {
            recordStart = r.timestamp();
          }
          long due = wallStart + TimeUnit.MILLISECONDS.toNanos(r.timestamp() - recordStart);
          if (!waitUntil(due, gen)) {
            return; // stopped: this record is the next one to play
          }
          position = r.offset() + 1;
          Optional<AccessUnit> au = unit(r);
          if (au.isPresent()) {
            RtcStream.Frame f = frame(au.get(), r.timestamp());
            if (f != null) {
              reader.frame(f);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("{}: replay over RTSP ended: {}", key, e.toString());
        reader.close("the recording cannot be read");
      }
    }
  }

  /** Sleeps until {@code due} (System.nanoTime); false if stopped meanwhile. */
  private boolean waitUntil(long due, int gen) {
    long left;
    while ((left = due - System.nanoTime()) > 0) {
      if (gen != generation) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return gen == generation;
  }

  /**
   * The unit as the live stream packetizes it (RtcStream), or null for what RTSP does not carry.
   */
  private RtcStream.Frame frame(AccessUnit au, long captureMillis) {
    long capture = captureMillis * 1000;
    return switch (au.codec()) {
      case H264 -> video(h264.packetize(au), capture, "H264");
      case H265 -> video(h265.packetize(au), capture, "H265");
      case PCMU, PCMA -> {
        RtpFrame rtp = g711.packetize(au);
        yield new RtcStream.Frame(
            false,
            rtp,
            g711.clockRate(),
            capture,
            capture,
            rtp.payloadBytes(),
            au.codec() == Codec.PCMA ? "PCMA" : "PCMU");
      }
      case AAC -> {
        if (description.audio() != Codec.AAC) {
          yield null;
        }
        RtpFrame rtp = aac.packetize(au, description.audioRate());
        yield new RtcStream.Frame(
            false,
            rtp,
            description.audioRate(),
            capture,
            capture,
            rtp.payloadBytes(),
            RtcStream.Frame.AAC);
      }
    };
  }

  private static RtcStream.Frame video(RtpFrame rtp, long capture, String encoding) {
    return rtp.payloads().isEmpty()
        ? null
        : new RtcStream.Frame(true, rtp, 90_000, capture, capture, rtp.payloadBytes(), encoding);
  }
}
