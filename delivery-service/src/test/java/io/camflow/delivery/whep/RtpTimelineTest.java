package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtpTimelineTest {

  @Test
  void aBurstIsOneTickApartAndLiveFramesKeepTheirSpacingAfterIt() {
    RtpTimeline t = new RtpTimeline(1_000, 90_000);
    // a GOP of 3 s (90 frames at 30 fps) sent at once
    long[] out = new long[90];
    for (int i = 0; i < 90; i++) {
      out[i] = t.burst(i * 3000L, i == 89);
    }
    assertEquals(1_000, out[0]);
    assertEquals(1_089, out[89]);
    // the next live frame comes one frame interval after the burst's last frame
    assertEquals(1_089 + 3000, t.live(90 * 3000L));
    assertEquals(1_089 + 6000, t.live(91 * 3000L));
  }

  @Test
  void aBurstAfterAPictureLossStaysAfterEverythingSent() {
    RtpTimeline t = new RtpTimeline(0, 90_000);
    t.burst(0, true);
    long last = 0;
    for (int i = 1; i <= 10; i++) {
      last = t.live(i * 3000L);
    }
    // the GOP (frames 0..10) again, then live from frame 11
    long first = t.burst(0, false);
    for (int i = 1; i < 10; i++) {
      t.burst(i * 3000L, false);
    }
    long end = t.burst(10 * 3000L, true);
    assertEquals(last + 1, first);
    assertEquals(last + 11, end);
    assertEquals(end + 3000, t.live(11 * 3000L));
  }

  @Test
  void aNewCameraSessionOrAJumpNeverMovesTimeBackOrFarAhead() {
    RtpTimeline t = new RtpTimeline(500, 90_000);
    t.burst(1_000_000, true);
    long before = t.live(1_003_000);
    long restarted = t.live(0); // the camera came back with timestamps from zero
    assertEquals(before + 3000, restarted);
    assertEquals(restarted + 3000, t.live(3000));
    long jumped = t.live(3000 + 3600 * 90_000L); // an hour ahead
    assertEquals(restarted + 6000, jumped);
  }

  @Test
  void liveBeforeAnyBurstStartsAtTheOrigin() {
    RtpTimeline t = new RtpTimeline(42, 48_000);
    assertEquals(42, t.live(123_456));
    assertEquals(42 + 960, t.live(123_456 + 960));
    assertTrue(t.last() == 42 + 960);
  }
}
