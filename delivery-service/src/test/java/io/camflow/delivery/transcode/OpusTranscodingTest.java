package io.camflow.delivery.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The per-stream transcoding thread: what one bad frame or a new camera configuration does to it.
 */
class OpusTranscodingTest {

  private static void feed(OpusTranscoding t, List<AccessUnit> units) {
    for (AccessUnit au : units) {
      t.offer(au, au.pts() * 1_000_000 / au.timebase(), 0);
    }
  }

  private static void awaitPackets(List<OpusPacket> out, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (out.size() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(out.size() >= atLeast, out.size() + " packets, wanted " + atLeast);
  }

  @Test
  void aBrokenFrameIsSkippedAndANewConfigurationGetsANewTranscoder() throws Exception {
    int openBefore = AacToOpus.open();
    List<OpusPacket> out = new CopyOnWriteArrayList<>();
    OpusTranscoding t = new OpusTranscoding(new StreamKey("cam", "main"), out::add);
    List<AccessUnit> stereo48 = AacSine.frames(48_000, 2, 1000, 0.3, 1.0, 0);
    // 40 frames of 1024 samples: 42 whole 20 ms packets, less the encoder's first one held back
    feed(t, stereo48.subList(0, 20));
    byte[] asc = stereo48.getFirst().codecConfig();
    t.offer(
        new AccessUnit(
            1, Codec.AAC, 20 * 1024, 20 * 1024, 48_000, false, new byte[] {-1, -1, -1, -1, 1}, asc),
        0,
        0);
    feed(t, stereo48.subList(21, 41));
    awaitPackets(out, 38);
    assertEquals(1, t.skipped(), "the broken frame, and only it");
    // the camera reconnects with 16 kHz mono: its own transcoder, the old one freed
    List<AccessUnit> mono16 = AacSine.frames(16_000, 1, 440, 0.5, 1.0, 100 * 16_000);
    int before = out.size();
    feed(t, mono16);
    awaitPackets(out, before + 45);
    assertEquals(openBefore + 1, AacToOpus.open(), "one transcoder at a time");
    OpusPacket resumed = out.get(before);
    assertTrue(
        Math.abs(resumed.pts() - 100 * 48_000) <= 960,
        "on the new session's time line: " + resumed);
    assertEquals(0, t.dropped());
    t.close();
    assertTrue(t.awaitStopped(5_000));
    assertEquals(openBefore, AacToOpus.open(), "native memory freed when it stops");
    int made = out.size();
    feed(t, mono16.subList(0, 5));
    Thread.sleep(100);
    assertEquals(made, out.size(), "nothing after close");
  }
}
