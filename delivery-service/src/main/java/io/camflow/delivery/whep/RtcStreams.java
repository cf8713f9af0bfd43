package io.camflow.delivery.whep;

import io.camflow.delivery.gop.GopCache;
import io.camflow.delivery.gop.UnitFeed;
import io.camflow.media.StreamKey;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams WebRTC viewers watch on this instance: the first viewer of a stream starts its access
 * unit feed (one Kafka consumer of the media topic, from the latest keyframe), a stream without
 * viewers for {@code idleStop} is stopped.
 */
public final class RtcStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RtcStreams.class);

  private record Running(RtcStream stream, UnitFeed feed, long[] idleSinceNanos) {}

  private final String bootstrapServers;
  private final Duration idleStop;
  private final Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> meter;
  private final ConcurrentHashMap<StreamKey, Running> streams = new ConcurrentHashMap<>();

  public RtcStreams(String bootstrapServers, Duration idleStop, ScheduledExecutorService scheduler,
      Function<KafkaConsumer<byte[], byte[]>, AutoCloseable> meter) {
    this.bootstrapServers = bootstrapServers;
    this.idleStop = idleStop;
    this.meter = meter;
    scheduler.scheduleWithFixedDelay(this::stopIdle, 1, 1, TimeUnit.SECONDS);
  }

  /** The stream, its feed started if it was not running. */
  public RtcStream open(StreamKey key) {
    return streams.computeIfAbsent(key, k -> {
      GopCache cache = new GopCache();
      RtcStream stream = new RtcStream(k);
      cache.join(stream); // before the feed starts: every unit is packetized
      UnitFeed feed = new UnitFeed(k, bootstrapServers, cache, meter).start();
      LOG.info("{}: first WebRTC viewer, access unit feed started", k);
      return new Running(stream, feed, new long[] {System.nanoTime()});
    }).stream();
  }

  /** Streams whose AAC is being transcoded to Opus now (metric camflow_delivery_audio_transcoding_streams). */
  public int transcodingAudio() {
    return (int) streams.values().stream().filter(r -> r.stream().transcodingAudio()).count();
  }

  private void stopIdle() {
    long now = System.nanoTime();
    for (Running r : streams.values()) {
      if (r.stream().viewers() > 0 && r.feed().isAlive()) {
        r.idleSinceNanos()[0] = now;
      } else if (now - r.idleSinceNanos()[0] > idleStop.toNanos() || !r.feed().isAlive()) {
        if (streams.remove(r.stream().key(), r)) {
          LOG.info("{}: no WebRTC viewer for {} s, access unit feed stopped", r.stream().key(), idleStop.toSeconds());
          r.stream().close();
          r.feed().close();
        }
      }
    }
  }

  @Override
  public void close() {
    for (Running r : streams.values()) {
      r.stream().close();
      r.feed().close();
    }
    streams.clear();
  }
}
