package io.camflow.ingest.source;

import static io.camflow.ingest.source.CaptureClock.NO_TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
  void senderReportTimeIsTheCaptureTime() {
    CaptureClock clock = new CaptureClock();
    clock.captureMicros(0, NO_TIME, NOW);
    long captured = NOW - 300_000; // the camera captured this frame 300 ms before it arrived
    assertEquals(captured, clock.captureMicros(40_000, captured, NOW + 40_000));
    assertEquals(captured + 40_000, clock.captureMicros(80_000, captured + 40_000, NOW + 80_000));
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
