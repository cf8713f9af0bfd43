package io.camflow.packager;

import io.camflow.media.AccessUnit;
import io.camflow.media.Topics;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.packager.audio.G711Transcoding;
import io.camflow.packager.thumbnail.Thumbnailer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packager bean of routes/packager.camel.yaml: one {@link StreamPackager} per media topic this
 * instance consumes, restored from the stream's own CMAF output the first time a topic is seen.
 * Turns each consumed media record into the CMAF messages to write, for the route to split and
 * send. What a stream leaves out is counted and logged by its {@link RejectionMeter}; a sweeper
 * closes the G.711 transcoders of streams that stopped (docs/operations.md). Keyframes are offered
 * to the {@link Thumbnailer}, which samples the timeline's pictures off this path.
 */
public final class Packager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Packager.class);
  static final String MEDIA_PREFIX = Topics.MEDIA_PREFIX;

  private final PackagerSettings settings;
  private final KafkaLookup lookup;
  private final Thumbnailer thumbnailer;
  private final Map<String, StreamPackager> streams = new ConcurrentHashMap<>();
  private final Map<String, RejectionMeter> rejections = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("camflow-packager-audio-sweep").factory());
  private volatile MeterRegistry meters;
  private volatile boolean metersLookedUp;

  Packager(PackagerSettings settings, KafkaLookup lookup) {
    this(settings, lookup, null);
  }

  /**
   * @param thumbnailer samples the streams' thumbnails; null for none
   */
  Packager(PackagerSettings settings, KafkaLookup lookup, Thumbnailer thumbnailer) {
    this.settings = settings;
    this.lookup = lookup;
    this.thumbnailer = thumbnailer;
    sweeper.scheduleWithFixedDelay(this::closeIdleAudio, 5, 5, TimeUnit.SECONDS);
  }

  /**
   * Packages the media record in {@code exchange}; returns the CMAF messages to write, in order.
   */
  public List<Message> process(Exchange exchange) {
    Message in = exchange.getMessage();
    String topic = in.getHeader("kafka.TOPIC", String.class);
    Long offset = in.getHeader("kafka.OFFSET", Long.class);
    Long timestamp = in.getHeader("kafka.TIMESTAMP", Long.class);
    MeterRegistry meters = meters(exchange);
    if (topic == null || !topic.startsWith(MEDIA_PREFIX) || offset == null || timestamp == null) {
      rejections(
              topic == null || !topic.startsWith(MEDIA_PREFIX) ? "unknown" : streamName(topic),
              meters)
          .reject(
              Rejection.NOT_A_MEDIA_RECORD,
              new StreamPackager.Input(offset == null ? -1 : offset, null, null, 0),
              "no Kafka topic, offset or timestamp on the exchange (topic " + topic + ")");
      return List.of();
    }
    AccessUnit au;
    String session;
    long receivedMicros;
    try {
      Map<String, byte[]> headers = recordHeaders(in);
      au = MediaRecordFormat.decode(headers, in.getBody(byte[].class));
      session = MediaRecordFormat.session(headers);
      receivedMicros =
          MediaRecordFormat.receivedMicros(
              headers); // carried to the chunk: delivery's latency metric
    } catch (IllegalArgumentException e) {
      rejections(streamName(topic), meters)
          .reject(
              Rejection.NOT_A_MEDIA_RECORD,
              new StreamPackager.Input(offset, null, null, timestamp),
              e.getMessage());
      return List.of();
    }
    StreamPackager stream = streams.get(topic);
    if (stream != null && stream.lastOffset() >= 0 && offset > stream.lastOffset() + 1) {
      // offsets of a media topic are contiguous: a jump means another packager had the stream
      // meanwhile (rebalance) or records expired; continue from what the output says
      stream.close();
      stream = null;
      if (thumbnailer != null) {
        thumbnailer.forget(topic);
      }
    }
    IndexEntry restoring = null;
    if (stream == null) {
      List<StreamPackager.Output> tail = lookup.cmafTail(Topics.cmafOf(topic));
      stream = restore(topic, tail, rejections(streamName(topic), meters));
      streams.put(topic, stream);
      restoring = missingIndexEntry(topic, tail, stream);
    }
    String cmafTopic = Topics.cmafOf(topic);
    String indexTopic = Topics.indexOf(topic);
    List<Message> out = new ArrayList<>(3);
    if (restoring != null) {
      out.add(indexMessage(exchange, indexTopic, restoring));
      restoring = null;
    }
    for (StreamPackager.Output o :
        stream.accept(new StreamPackager.Input(offset, au, session, timestamp, receivedMicros))) {
      if (meters
          != null) { // camflow_packager_records_total{stream, kind=init|chunk|part-end|segment-end}
        meters
            .counter(
                "camflow_packager_records",
                "stream",
                streamName(topic),
                "kind",
                o.record().getClass().getSimpleName())
            .increment();
      }
      DefaultMessage m = new DefaultMessage(exchange.getContext());
      m.setBody(o.record().payload());
      o.record().headers().forEach(m::setHeader);
      m.setHeader("kafka.OVERRIDE_TOPIC", cmafTopic);
      m.setHeader("kafka.OVERRIDE_TIMESTAMP", o.timestampMillis());
      out.add(m);
      if (o.record() instanceof CmafRecord.SegmentEnd end) { // the recording's time index
        out.add(indexMessage(exchange, indexTopic, stream.indexEntry(end, o.timestampMillis())));
      }
    }
    if (thumbnailer != null) {
      thumbnailer.offer(topic, offset, au, session, timestamp);
    }
    return out;
  }

  private static Message indexMessage(Exchange exchange, String indexTopic, IndexEntry entry) {
    DefaultMessage m = new DefaultMessage(exchange.getContext());
    m.setBody(entry.payload());
    entry.headers().forEach(m::setHeader);
    m.setHeader("kafka.OVERRIDE_TOPIC", indexTopic);
    m.setHeader("kafka.OVERRIDE_TIMESTAMP", entry.startMillis());
    return m;
  }

  /** {@code camera/stream} of a media topic. */
  private static String streamName(String mediaTopic) {
    return mediaTopic.substring(MEDIA_PREFIX.length()).replace('.', '/');
  }

  /** The process's meter registry, looked up once (not per record); null without metrics. */
  private MeterRegistry meters(Exchange exchange) {
    if (!metersLookedUp) {
      meters = ServiceMetrics.registryOf(exchange.getContext()).orElse(null);
      if (meters != null) {
        Gauge.builder(
                "camflow_packager_audio_transcoding_streams", this, Packager::transcodingStreams)
            .description("streams whose G.711 is being transcoded to AAC now")
            .register(meters);
      }
      metersLookedUp = true;
    }
    return meters;
  }

  /** camflow_packager_thumbnails_total{result=written|dropped|failed} */
  private void thumbnailMeter(
      MeterRegistry meters, String result, java.util.function.ToDoubleFunction<Thumbnailer> count) {
    FunctionCounter.builder("camflow_packager_thumbnails", thumbnailer, count)
        .description(
            "timeline thumbnails written, dropped (the decoder was behind) or failed (no picture, not written)")
        .tag("result", result)
        .register(meters);
  }

  private RejectionMeter rejections(String stream, MeterRegistry meters) {
    return rejections.computeIfAbsent(stream, s -> new RejectionMeter(s, meters));
  }

  /** Streams whose G.711 is being transcoded now (each holds an FFmpeg encoder). */
  int transcodingStreams() {
    return (int) streams.values().stream().filter(StreamPackager::transcodingAudio).count();
  }

  /**
   * Frees the transcoders of streams that stopped sending G.711 (an on-demand stream nobody
   * watches).
   */
  private void closeIdleAudio() {
    long now = System.nanoTime();
    streams.forEach(
        (topic, stream) -> {
          try {
            if (stream.closeIdleAudio(now)) {
              LOG.info(
                  "{}: no G.711 for {} s, its AAC transcoder closed",
                  streamName(topic),
                  G711Transcoding.IDLE.toSeconds());
            }
          } catch (RuntimeException e) {
            LOG.warn("{}: closing its idle transcoder failed: {}", streamName(topic), e.toString());
          }
        });
  }

  private StreamPackager restore(
      String mediaTopic, List<StreamPackager.Output> tail, Rejections rejections) {
    String cmafTopic = Topics.cmafOf(mediaTopic);
    StreamPackager p = new StreamPackager(settings, rejections);
    p.restore(tail, offset -> lookup.mediaAt(mediaTopic, offset));
    if (p.initId() >= 0) {
      try { // for the recording's index only: packaging goes on without it
        p.restoredInit(lookup.initRecord(mediaTopic, cmafTopic, p.initId()));
      } catch (RuntimeException e) {
        LOG.warn("{}: the init in force could not be read back: {}", mediaTopic, e.toString());
      }
    }
    LOG.info(
        "{}: packaging into {} ({})",
        mediaTopic,
        cmafTopic,
        tail.isEmpty() ? "new" : "continuing after media offset " + p.lastOffset());
    return p;
  }

  /**
   * The index entry of the last segment the CMAF tail ends, when the packager before this one
   * stopped between writing the segment's end and its index entry; null when the index has it.
   */
  private IndexEntry missingIndexEntry(
      String mediaTopic, List<StreamPackager.Output> tail, StreamPackager stream) {
    if (tail.isEmpty() || !(tail.get(0).record() instanceof CmafRecord.SegmentEnd end)) {
      return null;
    }
    long indexed;
    try {
      indexed = lookup.lastIndexedMsn(Topics.indexOf(mediaTopic));
    } catch (RuntimeException e) { // the index misses an entry at worst; packaging goes on
      LOG.warn("{}: the recording's index could not be read: {}", mediaTopic, e.toString());
      return null;
    }
    if (indexed >= end.msn()) {
      return null;
    }
    LOG.info("{}: segment {} was not in the index; added", streamName(mediaTopic), end.msn());
    return stream.indexEntry(end, tail.get(0).timestampMillis());
  }

  private static Map<String, byte[]> recordHeaders(Message in) {
    Map<String, byte[]> h = new HashMap<>();
    in.getHeaders()
        .forEach(
            (k, v) -> {
              if (k.startsWith("camflow.") && v instanceof byte[] b) {
                h.put(k, b);
              }
            });
    return h;
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    if (thumbnailer != null) {
      thumbnailer.close();
    }
    streams.values().forEach(StreamPackager::close);
    streams.clear();
    lookup.close();
  }
}
