package io.camflow.packager.it;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.record.MediaRecordFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Access units as ingest writes them, from a real H.264 encoding (Debian's FFmpeg, libx264),
 * produced into a media topic at the camera's pace by a background thread.
 */
final class MediaFeed implements AutoCloseable {

  static final int FPS = 25;
  static final long FRAME_TICKS = 90_000 / FPS;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final List<AccessUnit> gops;
  private volatile boolean running = true;
  private Thread thread;
  private volatile long produced;

  MediaFeed(String bootstrap, String topic, List<AccessUnit> units) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.request.size", Integer.toString(16 * 1024 * 1024));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.gops = units;
  }

  /** An H.264 stream of {@code seconds} at 25 fps with a keyframe every {@code gop} frames. */
  static List<AccessUnit> encode(int seconds, int gop) throws Exception {
    return io.camflow.testsupport.EncodedStream.h264(seconds, gop, 320, 240);
  }

  /** Starts producing the units in a loop (timestamps keep counting), one every 40 ms. */
  MediaFeed start(String session) {
    thread =
        new Thread(
            () -> {
              long start = System.currentTimeMillis();
              long i = 0;
              while (running) {
                AccessUnit src = gops.get((int) (i % gops.size()));
                long pts = i * FRAME_TICKS;
                AccessUnit au =
                    new AccessUnit(
                        0,
                        Codec.H264,
                        pts,
                        pts,
                        90_000,
                        src.keyframe(),
                        src.data(),
                        src.codecConfig());
                send(au, session, start + i * 1000 / FPS);
                i++;
                produced = i;
                long due = start + i * 1000 / FPS;
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                  try {
                    Thread.sleep(wait);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "media-feed");
    thread.start();
    return this;
  }

  void send(AccessUnit au, String session, long captureMillis) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(topic, null, captureMillis, null, au.data());
    MediaRecordFormat.headers(au, session)
        .forEach((k, v) -> r.headers().add(new RecordHeader(k, v)));
    producer.send(r);
  }

  long produced() {
    return produced;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join(2_000);
    }
    producer.close();
  }
}
