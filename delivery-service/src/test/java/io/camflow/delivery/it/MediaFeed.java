package io.camflow.delivery.it;

import io.camflow.media.AccessUnit;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.EncodedStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a stream's media topic the way ingest does: the access units of a clip played in a loop
 * ({@link EncodedStream#looped}), each record stamped with its capture time — exactly one frame
 * interval after the one before, so a test knows which frame an instant is. Either at camera pace
 * from a background thread ({@link #start}), or as fast as the broker takes them for a recording in
 * the past ({@link #record}); a live start after a recording goes on with the clip's timeline.
 */
public final class MediaFeed implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final List<AccessUnit> clip;
  private final String session;
  private Thread thread;
  private volatile boolean running = true;
  private volatile long written;
  private volatile long liveSince;

  public MediaFeed(String bootstrap, String topic, List<AccessUnit> clip, String session) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "0");
    p.put("max.request.size", Integer.toString(16 * 1024 * 1024));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.clip = clip;
    this.session = session;
  }

  /**
   * Writes {@code frames} more units stamped from {@code startMillis} on, one frame interval apart,
   * as fast as the broker takes them.
   */
  public void record(long startMillis, long frames) {
    long from = written;
    for (long i = 0; i < frames; i++) {
      send(from + i, startMillis + i * 1000 / EncodedStream.FPS);
    }
    producer.flush();
    written = from + frames;
  }

  /** Goes on writing from now, one unit per frame interval, each when its time comes. */
  public MediaFeed start() {
    liveSince = System.currentTimeMillis();
    long from = written;
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("media-feed-" + topic)
            .start(
                () -> {
                  try {
                    for (long i = from; running; i++) {
                      long due = liveSince + (i - from) * 1000 / EncodedStream.FPS;
                      long wait = due - System.currentTimeMillis();
                      if (wait > 0) {
                        Thread.sleep(wait);
                      }
                      send(i, due).get(10, TimeUnit.SECONDS);
                      written = i + 1;
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    return this;
  }

  private java.util.concurrent.Future<?> send(long i, long captureMillis) {
    AccessUnit au = EncodedStream.looped(clip, i);
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(topic, 0, captureMillis, null, au.data());
    MediaRecordFormat.headers(au, session).forEach((k, v) -> r.headers().add(k, v));
    return producer.send(r);
  }

  /** When the live writing began: the capture time of its first unit. */
  public long liveSince() {
    return liveSince;
  }

  /** Units written (and, live, acknowledged) so far. */
  public long written() {
    return written;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.interrupt();
      thread.join(5_000);
    }
    producer.close();
  }
}
