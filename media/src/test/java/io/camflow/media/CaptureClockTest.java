package io.camflow.media;

import static io.camflow.media.CaptureClock.NO_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CaptureClockTest {

  private static final long NOW = 1_800_000_000_000_000L; // µs since the epoch

  @Test
  void withoutSenderReportsTheFirstPacketIsAnchoredToArrival() {
    CaptureClock clock = new CaptureClock();
    assertEquals(NOW, clock.captureMicros(1_000_000, NO_TIME, NOW));
    // 40 ms of media later, whatever the arrival jitter, the capture clock follows the pts
    assertEquals(NOW + 40_000, clock.captureMicros(1_040_000, NO_TIME, NOW + 95_000));
  }

  @Test
  void aSenderReportBeforeTheFirstPacketTimesTheSessionByTheCamerasClock() {
    CaptureClock clock = new CaptureClock();
    long captured = NOW - 300_000; // the camera captured this frame 300 ms before it arrived
    assertEquals(captured, clock.captureMicros(0, captured, NOW));
    assertEquals(captured + 40_000, clock.captureMicros(40_000, captured + 40_000, NOW + 95_000));
    assertTrue(clock.cameraClockUsable());
    assertEquals(NO_TIME, clock.firstCorrectionMicros(), "nothing to correct");
  }

  @Test
  void aLaterSenderReportIsSlewedTo_neverSteppedTo() {
    CaptureClock clock = new CaptureClock();
    assertEquals(NOW, clock.captureMicros(0, NO_TIME, NOW));
    // 2 s in, the first report: the camera's clock is 668 ms later than the arrival estimate
    long camera = 668_000;
    long previous = clock.captureMicros(2_000_000, NO_TIME, NOW + 2_000_000);
    assertEquals(NOW + 2_000_000, previous);
    long converged = -1;
    for (long pts = 2_040_000; pts <= 60_000_000; pts += 40_000) {
      long t = clock.captureMicros(pts, NOW + pts + camera, NOW + pts + 10_000);
      long step = t - previous;
      assertTrue(
          step >= 40_000 && step <= 40_000 + 40_000 * CaptureClock.SLEW + 1,
          "at most 2 % faster than the media, never a jump: " + step + " at pts " + pts);
      previous = t;
      if (converged < 0 && t == NOW + pts + camera) {
        converged = pts;
      }
    }
    assertEquals(668_000, clock.firstCorrectionMicros());
    // 668 ms at 2 % of 40 ms per frame: 835 frames, 33.4 s after the report
    assertEquals(2_000_000 + 835 * 40_000, converged);
  }

  @Test
  void aCameraClockEarlierThanTheEstimateSlowsTheClockInstead() {
    CaptureClock clock = new CaptureClock();
    clock.captureMicros(0, NO_TIME, NOW);
    long previous = clock.captureMicros(40_000, NOW + 40_000 - 300_000, NOW + 40_000);
    for (long pts = 80_000; pts <= 20_000_000; pts += 40_000) {
      long t = clock.captureMicros(pts, NOW + pts - 300_000, NOW + pts);
      assertTrue(t - previous >= 40_000 - 40_000 * CaptureClock.SLEW - 1, "never backwards");
      previous = t;
    }
    assertEquals(NOW + 20_000_000 - 300_000, previous, "converged: 300 ms in 15 s of media");
  }

  @Test
  void aTimelineOfCameraClockRemainsMonotonicWhateverTheReportsSay() {
    CaptureClock clock = new CaptureClock();
    java.util.Random random = new java.util.Random(7);
    long previous = clock.captureMicros(0, NO_TIME, NOW);
    long cameraOffset = 0;
    for (long pts = 40_000; pts < 600_000_000; pts += 40_000) {
      if (random.nextInt(250) == 0) {
        cameraOffset = random.nextLong(-2_000_000, 2_000_000); // a report that moves the clock
      }
      long t = clock.captureMicros(pts, NOW + pts + cameraOffset, NOW + pts);
      assertTrue(t > previous, "strictly increasing at pts " + pts);
      previous = t;
    }
  }

  @Test
  void aCameraClockFarFromOursIsIgnoredForGood() {
    CaptureClock clock = new CaptureClock();
    clock.captureMicros(0, NO_TIME, NOW);
    long unsetCameraClock = 946_684_800_000_000L; // year 2000: a camera that never got NTP
    assertEquals(NOW + 40_000, clock.captureMicros(40_000, unsetCameraClock, NOW + 41_000));
    assertFalse(clock.cameraClockUsable());
    // even if a later report happens to look plausible, timing stays on one clock
    assertEquals(NOW + 80_000, clock.captureMicros(80_000, NOW + 80_000 - 1_000_000, NOW + 80_000));
  }

  @Test
  void aPtsJumpReanchorsToArrival() {
    CaptureClock clock = new CaptureClock();
    clock.captureMicros(0, NO_TIME, NOW);
    long jumped = 47_721_858_000L; // 2^32 ticks of 90 kHz: a wrap the demuxer did not hide
    assertEquals(NOW + 80_000, clock.captureMicros(jumped, NO_TIME, NOW + 80_000));
    assertEquals(NOW + 120_000, clock.captureMicros(jumped + 40_000, NO_TIME, NOW + 130_000));
  }
}
