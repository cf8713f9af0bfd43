package io.camflow.media.au;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecodeTimestampsTest {

  private static final long FRAME = 3600; // 25 fps at 90 kHz

  private static long[] derive(int depth, long... pts) {
    DecodeTimestamps d = new DecodeTimestamps(FRAME);
    d.reorderDepth(depth);
    return Arrays.stream(pts).map(d::next).toArray();
  }

  private static long[] frames(long... index) {
    return Arrays.stream(index).map(i -> 1_000_000 + i * FRAME).toArray();
  }

  @Test
  void withoutReorderingTheDecodeTimeIsThePresentationTime() {
    long[] pts = frames(0, 1, 2, 3, 5, 6); // a frame lost on the way changes nothing
    assertArrayEquals(pts, derive(0, pts));
  }

  @Test
  void oneBFrameBetweenReferences() {
    // I0 P2 B1 P4 B3 in decoding order: one frame of delay, then the presentation times in order
    assertArrayEquals(frames(-1, 0, 1, 2, 3), derive(1, frames(0, 2, 1, 4, 3)));
  }

  @Test
  void twoBFramesAsAPyramid() {
    // x264's b-pyramid with 2 B-frames: I0 P3 B2(ref) b1 | P6 B5 b4 — depth 2
    assertArrayEquals(frames(-2, -1, 0, 1, 2, 3, 4), derive(2, frames(0, 3, 2, 1, 6, 5, 4)));
    // three B-frames, pyramid: I0 P4 B2 b1 b3 P8 B6 b5 b7
    assertArrayEquals(
        frames(-2, -1, 0, 1, 2, 3, 4, 5, 6), derive(2, frames(0, 4, 2, 1, 3, 8, 6, 5, 7)));
  }

  @Test
  void aDeeperDepthThanNeededOnlyDelaysTheDecodeTimes() {
    long[] pts = frames(0, 1, 2, 3, 4, 5);
    assertArrayEquals(frames(-4, -3, -2, -1, 0, 1), derive(4, pts));
  }

  /**
   * Any decoding order that reorders at most {@code depth} frames: the decode times go up, never
   * pass the presentation times, and from the {@code depth}-th frame on are the presentation times
   * in ascending order (so sample durations are the real frame intervals).
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 5, 16})
  void everyOrderWithinTheDepthGivesMonotonicDecodeTimesAtOrBeforePresentation(int depth) {
    Random random = new Random(42 + depth);
    for (int run = 0; run < 200; run++) {
      long[] pts = decodingOrder(random, 300, depth);
      DecodeTimestamps d = new DecodeTimestamps(FRAME);
      d.reorderDepth(depth);
      long[] dts = Arrays.stream(pts).map(d::next).toArray();
      long[] sorted = pts.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < pts.length; i++) {
        assertTrue(dts[i] <= pts[i], "dts <= pts at " + i);
        if (i > 0) {
          assertTrue(dts[i] > dts[i - 1], "dts increases at " + i);
        }
        if (i >= depth) {
          assertEquals(sorted[i - depth], dts[i], "the presentation times in order at " + i);
        }
      }
      assertEquals(0, d.repairs());
    }
  }

  /**
   * Presentation times (whole frames, with gaps) in a random decoding order in which no frame has
   * more than {@code depth} frames before it that are presented after it: each step decodes one of
   * the frames still waiting, and may pass over waiting frames only while each of them has been
   * passed fewer than {@code depth} times.
   */
  private static long[] decodingOrder(Random random, int count, int depth) {
    List<long[]> waiting = new ArrayList<>(); // {pts, times passed}, in presentation order
    long t = 0;
    for (int i = 0; i < count; i++) {
      t += random.nextInt(10) == 0 ? 2 : 1; // now and then a lost frame
      waiting.add(new long[] {1_000_000 + t * FRAME, 0});
    }
    long[] order = new long[count];
    for (int i = 0; i < count; i++) {
      int canPass = 0;
      while (canPass < waiting.size() - 1 && waiting.get(canPass)[1] < depth) {
        canPass++;
      }
      int pick =
          i == 0
              ? 0
              : random.nextInt(
                  canPass + 1); // a session starts at an IDR: nothing presents before it
      for (int j = 0; j < pick; j++) {
        waiting.get(j)[1]++;
      }
      order[i] = waiting.remove(pick)[0];
    }
    return order;
  }

  @Test
  void aStreamReorderingDeeperThanItsSpsSaysIsRepairedAndLearned() {
    DecodeTimestamps d = new DecodeTimestamps(FRAME);
    d.reorderDepth(0); // the SPS claims no reordering, the camera sends B-frames anyway
    long[] pts = frames(0, 2, 1, 4, 3, 6, 5, 8, 7);
    long[] dts = Arrays.stream(pts).map(d::next).toArray();
    for (int i = 1; i < dts.length; i++) {
      assertTrue(dts[i] > dts[i - 1], "still monotonic at " + i + ": " + Arrays.toString(dts));
    }
    assertEquals(1, d.repairs(), "one picture repaired, then the depth is right");
    assertEquals(1, d.reorderDepth());
    for (int i = 3; i < dts.length; i++) {
      assertTrue(dts[i] <= pts[i], "dts <= pts again after the repair, at " + i);
    }
  }

  @Test
  void aSmallerDepthMidStreamHandsOutTheHeldTimes() {
    DecodeTimestamps d = new DecodeTimestamps(FRAME);
    d.reorderDepth(3);
    long[] first = Arrays.stream(frames(0, 1, 2)).map(d::next).toArray();
    d.reorderDepth(0); // a new SPS: no reordering any more
    long[] then = Arrays.stream(frames(3, 4, 5)).map(d::next).toArray();
    long[] all = {first[0], first[1], first[2], then[0], then[1], then[2]};
    for (int i = 1; i < all.length; i++) {
      assertTrue(all[i] > all[i - 1], Arrays.toString(all));
    }
    assertArrayEquals(frames(3, 4, 5), then, "no delay left");
  }

  @Test
  void aLargerDepthMidStreamBuildsTheDelayUpWithoutGoingBack() {
    DecodeTimestamps d = new DecodeTimestamps(FRAME);
    long[] first = Arrays.stream(frames(0, 1, 2)).map(d::next).toArray();
    d.reorderDepth(2);
    long[] then = Arrays.stream(frames(5, 4, 3, 8, 7, 6)).map(d::next).toArray();
    long last = first[2];
    long[] pts = frames(5, 4, 3, 8, 7, 6);
    for (int i = 0; i < then.length; i++) {
      assertTrue(then[i] > last, "monotonic at " + i + ": " + Arrays.toString(then));
      assertTrue(then[i] <= pts[i], "dts <= pts at " + i + ": " + Arrays.toString(then));
      last = then[i];
    }
    assertEquals(0, d.repairs());
  }

  @Test
  void restartInventsPredecessorsAgain() {
    DecodeTimestamps d = new DecodeTimestamps(FRAME);
    d.reorderDepth(1);
    d.next(frames(0)[0]);
    d.restart();
    d.frameInterval(1800);
    assertEquals(frames(10)[0] - 1800, d.next(frames(10)[0]));
  }

  @Test
  void rejectsImpossibleSettings() {
    DecodeTimestamps d = new DecodeTimestamps(FRAME);
    assertThrows(IllegalArgumentException.class, () -> d.reorderDepth(-1));
    assertThrows(IllegalArgumentException.class, () -> d.reorderDepth(17));
    assertThrows(IllegalArgumentException.class, () -> d.frameInterval(0));
    assertThrows(IllegalArgumentException.class, () -> new DecodeTimestamps(-5));
  }
}
