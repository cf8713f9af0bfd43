package io.camflow.packager.thumbnail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.record.Thumbnail;
import io.camflow.testsupport.EncodedStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sampling of the timeline's thumbnails on a real H.264 encoding: the first keyframe of each
 * interval, once, as a JPEG the JDK reads at the thumbnail size; nothing else decoded; a decoder
 * that falls behind drops samples instead of queueing them.
 */
class ThumbnailerTest {

  static final String TOPIC = "camflow.media.thumbtest.main";
  static final long T0 = 1_765_000_000_000L; // a multiple of 10 s
  static List<AccessUnit> units; // 25 fps, a keyframe every second

  @BeforeAll
  static void encode() throws Exception {
    units = EncodedStream.h264(2, 25, 320, 240);
  }

  record Written(String topic, Thumbnail thumbnail) {}

  /** The {@code i}-th frame of a looped stream, 40 ms apart from T0. */
  static AccessUnit frame(int i) {
    return units.get(i % units.size());
  }

  @Test
  void theFirstKeyframeOfEachIntervalBecomesOneThumbnail() throws Exception {
    List<Written> written = new CopyOnWriteArrayList<>();
    try (Thumbnailer t =
        new Thumbnailer(
            Duration.ofSeconds(10), (topic, th) -> written.add(new Written(topic, th)))) {
      // 35 s of capture time starting 2 s into an interval: keyframes at T0+2s, +3s, … +36s
      for (int i = 0; i < 35 * 25; i++) {
        t.offer(TOPIC, 1000 + i, frame(i), "s1", T0 + 2_000 + i * 40L);
      }
      t.offer(TOPIC, 5000, audio(), "s1", T0 + 41_000);
      waitFor(() -> t.written() >= 4);
      Thread.sleep(200); // nothing more may come
      assertEquals(4, written.size(), "intervals [0,10), [10,20), [20,30), [30,40) s");
      List<Long> times = new ArrayList<>();
      for (Written w : written) {
        assertEquals("camflow.thumbs.thumbtest.main", w.topic());
        Thumbnail th = w.thumbnail();
        times.add(th.captureMillis() - T0);
        assertEquals("s1", th.session());
        assertEquals(1000 + (th.captureMillis() - T0 - 2_000) / 40, th.sourceOffset());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(th.jpeg()));
        // 320x240 into 256x144: the height decides, 4:3 kept
        assertEquals(192, image.getWidth());
        assertEquals(144, image.getHeight());
        assertEquals(192, th.width());
        assertEquals(144, th.height());
      }
      assertEquals(List.of(2_000L, 10_000L, 20_000L, 30_000L), times);
      assertEquals(0, t.dropped());
      assertEquals(0, t.failed());
    }
  }

  @Test
  void aDecoderThatFallsBehindDropsSamplesAndTheNextKeyframeTakesTheirPlace() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Written> written = new CopyOnWriteArrayList<>();
    try (Thumbnailer t =
        new Thumbnailer(
            Duration.ofSeconds(2),
            (topic, th) -> {
              try {
                release.await(); // the first write holds the decoder's thread
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              written.add(new Written(topic, th));
            })) {
      int streams = Thumbnailer.QUEUE + 10;
      for (int s = 0; s < streams; s++) {
        t.offer("camflow.media.cam" + s + ".main", 0, frame(0), "s1", T0);
      }
      waitFor(() -> t.dropped() > 0);
      long dropped = t.dropped();
      assertTrue(dropped >= streams - Thumbnailer.QUEUE - 1, "dropped " + dropped);
      release.countDown();
      waitFor(() -> t.written() == streams - dropped);
      // a dropped stream's next keyframe in the same interval is sampled
      t.offer("camflow.media.cam" + (streams - 1) + ".main", 25, frame(25), "s1", T0 + 1_000);
      waitFor(() -> t.written() == streams - dropped + 1);
      assertEquals(streams - dropped + 1, written.size());
    }
  }

  static AccessUnit audio() {
    return new AccessUnit(1, Codec.AAC, 0, 0, 48_000, true, new byte[] {1, 2, 3}, null);
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(10);
    }
  }
}
