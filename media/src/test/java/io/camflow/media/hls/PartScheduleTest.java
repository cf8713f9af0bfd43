package io.camflow.media.hls;

import static io.camflow.media.hls.PartSchedule.Cut.DROP;
import static io.camflow.media.hls.PartSchedule.Cut.NONE;
import static io.camflow.media.hls.PartSchedule.Cut.PART;
import static io.camflow.media.hls.PartSchedule.Cut.SEGMENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartScheduleTest {

  private static final int TS = 90_000;

  /** One cut part or segment, in ticks, as the packager would close it. */
  record Piece(long start, long end, boolean independent, int frames) {
    long ticks() {
      return end - start;
    }
  }

  /** The parts and segments produced by feeding {@code frames} (dts, keyframe) through. */
  record Result(List<List<Piece>> segments) {
    List<Piece> parts() {
      return segments.stream().flatMap(List::stream).toList();
    }

    List<Long> segmentTicks() {
      return segments.stream().map(s -> s.get(s.size() - 1).end() - s.get(0).start()).toList();
    }
  }

  /** Feeds frames; the last frame's end is its dts + the last interval. */
  static Result run(PartSchedule schedule, long[] dts, boolean[] key) {
    List<List<Piece>> segments = new ArrayList<>();
    List<Piece> current = null;
    long partStart = 0;
    boolean independent = false;
    int frames = 0;
    for (int i = 0; i < dts.length; i++) {
      PartSchedule.Cut cut = schedule.next(dts[i], TS, key[i]);
      if (cut == DROP) {
        continue;
      }
      if (cut == PART || cut == SEGMENT) {
        if (current != null) {
          current.add(new Piece(partStart, dts[i], independent, frames));
        }
        if (cut == SEGMENT) {
          current = new ArrayList<>();
          segments.add(current);
        }
        partStart = dts[i];
        independent = key[i];
        frames = 0;
        assertEquals(key[i], schedule.partIndependent());
        assertEquals(current.size(), schedule.partIndex());
      }
      frames++;
    }
    if (current != null) {
      current.add(
          new Piece(
              partStart,
              dts[dts.length - 1] + schedule.estimatedFrameTicks(),
              independent,
              frames));
    }
    return new Result(segments);
  }

  /** Constant frame rate {@code num/den} fps, a keyframe every {@code gop} frames. */
  static Result cfr(PartSchedule schedule, int num, int den, int gop, int count) {
    long[] dts = new long[count];
    boolean[] key = new boolean[count];
    for (int i = 0; i < count; i++) {
      dts[i] = 1_000_000L + (long) i * TS * den / num;
      key[i] = i % gop == 0;
    }
    return run(schedule, dts, key);
  }

  /**
   * The conformance rules for every part and segment cut: 4.4.4.9 "The duration of a Partial
   * Segment MUST be less than or equal to the Part Target Duration. The duration of each Partial
   * Segment MUST be at least 85% of the Part Target Duration, with the exception of Partial
   * Segments with the INDEPENDENT=YES ... attribute ... and the final Partial Segment of any Parent
   * Segment." Appendix B: "Each (non-Partial) Media Segment ... will contain at least one
   * independent frame."
   */
  static void assertConformant(Result r, Duration partTarget, boolean strict) {
    double target = partTarget.toNanos() / 1e9;
    for (List<Piece> segment : r.segments()) {
      assertTrue(segment.get(0).independent(), "a segment starts with a keyframe");
      for (int i = 0; i < segment.size(); i++) {
        Piece p = segment.get(i);
        double seconds = p.ticks() / (double) TS;
        if (strict) {
          assertTrue(seconds <= target + 1e-9, "part " + seconds + " s > target " + target);
        }
        boolean last = i == segment.size() - 1;
        if (strict && !last && !p.independent()) {
          assertTrue(seconds >= 0.85 * target - 1e-9, "part " + seconds + " s < 85 % of target");
        }
        if (i > 0) {
          assertEquals(segment.get(i - 1).end(), p.start(), "parts are contiguous");
        }
      }
    }
  }

  /** 25 fps: 8 frames (320 ms) fit a 333.34 ms part; segments follow the GOP. */
  @ParameterizedTest(name = "25 fps, GOP {0} frames -> segment {1} ticks")
  @CsvSource({"25, 180000", "50, 180000", "100, 360000"})
  void twentyFiveFps(int gop, long segmentTicks) {
    PartSchedule s = new PartSchedule();
    Result r = cfr(s, 25, 1, gop, 25 * 20);
    assertConformant(r, PartSchedule.DEFAULT_PART_TARGET, true);
    List<Long> ticks = r.segmentTicks();
    // all but the last (cut off by the end of input) segment
    for (long t : ticks.subList(0, ticks.size() - 1)) {
      assertEquals(segmentTicks, t, "segment = max(2 s target, GOP) rounded up to GOPs");
    }
    for (Piece p : r.parts()) {
      assertTrue(p.frames() <= 8, "at most 8 frames of 40 ms in 333.34 ms");
    }
    // 1 s GOP: segments of 2 s (two GOPs); 2 s GOP: 2 s; 4 s GOP: the GOP
  }

  /** 30 fps: 10 frames = 333.33 ms fit; a 2 s GOP gives 6 full parts per segment. */
  @ParameterizedTest(name = "30 fps, GOP {0} frames")
  @CsvSource({"30", "60", "120"})
  void thirtyFps(int gop) {
    PartSchedule s = new PartSchedule();
    Result r = cfr(s, 30, 1, gop, 30 * 20);
    assertConformant(r, PartSchedule.DEFAULT_PART_TARGET, true);
    List<List<Piece>> complete = r.segments().subList(0, r.segments().size() - 1);
    for (List<Piece> segment : complete) {
      for (Piece p : segment) {
        assertEquals(10, p.frames(), "10 frames per part at 30 fps");
      }
      assertEquals(Math.max(60, gop), segment.stream().mapToInt(Piece::frames).sum());
    }
  }

  /** 29.97 fps with a 60-frame GOP: 2.002 s segments (the GOP is just over the 2 s target). */
  @Test
  void ntscRate() {
    Result r = cfr(new PartSchedule(), 30000, 1001, 60, 600);
    assertConformant(r, PartSchedule.DEFAULT_PART_TARGET, true);
    assertEquals(180_180L, r.segmentTicks().get(0));
  }

  /**
   * A keyframe that arrives when the current part is already at 85 % starts an independent part
   * inside the segment, so players can join there.
   */
  @Test
  void midSegmentKeyframeStartsAnIndependentPartWhenThePartIsLongEnough() {
    // 30 fps, keyframe every 30 frames (1 s): parts of 10 frames line up with the keyframes
    Result r = cfr(new PartSchedule(), 30, 1, 30, 120);
    List<Piece> first = r.segments().get(0);
    assertEquals(6, first.size());
    assertTrue(first.get(3).independent(), "the part at 1 s starts on the keyframe");
    assertFalse(first.get(1).independent());
  }

  @Test
  void partsAtMinimumAndMaximumTargets() {
    for (Duration target :
        List.of(Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(1000))) {
      PartSchedule s = new PartSchedule(target, Duration.ofSeconds(2));
      Result r = cfr(s, 25, 1, 50, 500);
      assertConformant(r, target, true);
    }
  }

  /**
   * Variable frame rate with jitter: parts stay within the target (the estimate is the longest
   * recent interval); a frame longer than the target makes a one-frame part.
   */
  @Test
  void variableFrameRate() {
    SplittableRandom random = new SplittableRandom(42);
    int count = 3000;
    long[] dts = new long[count];
    boolean[] key = new boolean[count];
    long t = 0;
    long lastKey = -TS * 10;
    for (int i = 0; i < count; i++) {
      dts[i] = t;
      key[i] = t - lastKey >= 2 * TS || i == 0;
      if (key[i]) {
        lastKey = t;
      }
      // 25 fps with +-3 ms jitter, and now and then a stall of 0.1..0.6 s
      long interval =
          random.nextInt(100) == 0
              ? random.nextLong(9_000, 54_000)
              : 3600 + random.nextLong(-270, 271);
      t += interval;
    }
    Result r = run(new PartSchedule(), dts, key);
    assertConformant(r, PartSchedule.DEFAULT_PART_TARGET, false);
    int overTarget = 0;
    for (Piece p : r.parts()) {
      long longest = 0;
      for (int i = 1; i < count; i++) {
        if (dts[i - 1] >= p.start() && dts[i - 1] < p.end()) {
          longest = Math.max(longest, dts[i] - dts[i - 1]);
        }
      }
      if (p.ticks() > 30_000) {
        overTarget++;
        // a stall cannot be foreseen: only a part holding one may overrun the target
        assertTrue(longest > 4_000, "part of " + p.ticks() + " ticks without a stall");
      }
    }
    assertTrue(r.parts().size() > 200);
    assertTrue(overTarget < r.parts().size() / 10, overTarget + " of " + r.parts().size());
  }

  /**
   * A discontinuity: reset() makes the next keyframe start a new segment even if time went back and
   * the timescale changed; non-keyframes before it are dropped.
   */
  @Test
  void resetOnDiscontinuity() {
    PartSchedule s = new PartSchedule();
    assertEquals(DROP, s.next(0, TS, false), "a session starts on a keyframe");
    assertFalse(s.started());
    assertEquals(SEGMENT, s.next(3600, TS, true));
    assertEquals(NONE, s.next(7200, TS, false));
    assertThrows(IllegalArgumentException.class, () -> s.next(100, TS, true), "dts backwards");
    assertThrows(IllegalArgumentException.class, () -> s.next(10_800, 1000, false), "timescale");
    s.reset();
    assertEquals(DROP, s.next(50, 1000, false));
    assertEquals(SEGMENT, s.next(80, 1000, true));
    assertEquals(0, s.partIndex());
    assertTrue(s.partIndependent());
    assertEquals(1000, s.timescale());
    // then 25 fps in milliseconds: 8 frames per part again
    int parts = 0;
    for (int i = 1; i <= 24; i++) {
      if (s.next(80 + 40L * i, 1000, false) == PART) {
        parts++;
        assertEquals(0, (i % 8), "cut every 8 frames, at frame " + i);
      }
    }
    assertEquals(3, parts);
  }

  @Test
  void segmentNeedsAKeyframeEvenAfterTheTarget() {
    PartSchedule s = new PartSchedule();
    s.next(0, TS, true);
    for (int i = 1; i < 400; i++) {
      PartSchedule.Cut cut = s.next(i * 3600L, TS, false);
      assertTrue(cut == NONE || cut == PART, "no segment without a keyframe: frame " + i);
    }
    assertEquals(SEGMENT, s.next(400 * 3600L, TS, true));
  }

  @Test
  void refusesTargetsOutsideTheAllowedRanges() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PartSchedule(Duration.ofMillis(199), Duration.ofSeconds(2)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PartSchedule(Duration.ofMillis(1001), Duration.ofSeconds(2)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PartSchedule(Duration.ofMillis(500), Duration.ofMillis(999)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PartSchedule(Duration.ofMillis(500), Duration.ofSeconds(11)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PartSchedule(Duration.ofMillis(200), Duration.ofSeconds(2)).next(0, 0, true));
    PartSchedule ok = new PartSchedule(Duration.ofMillis(200), Duration.ofSeconds(10));
    assertEquals(0.2, ok.partTargetSeconds(), 1e-12);
    assertEquals(0.33334, new PartSchedule().partTargetSeconds(), 1e-12);
  }
}
