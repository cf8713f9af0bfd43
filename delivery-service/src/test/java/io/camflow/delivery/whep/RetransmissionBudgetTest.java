package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetransmissionBudgetTest {

  private static final long MS = 1_000_000;
  private static final long SECOND = 1000 * MS;

  /**
   * Bytes granted when asking for {@code packet}-byte retransmissions every millisecond from {@code
   * from} for {@code millis}.
   */
  private static long flood(RetransmissionBudget b, long from, long millis, int packet) {
    long granted = 0;
    for (long t = 0; t < millis; t++) {
      if (b.take(packet, from + t * MS)) {
        granted += packet;
      }
    }
    return granted;
  }

  @Test
  void aViewerSentNothingGetsTheFloor() {
    RetransmissionBudget b = new RetransmissionBudget(100, 10_000, 0);
    long granted = flood(b, 0, 10_000, 1000); // 1 MB/s asked for 10 s
    // a full bucket (one second of the floor) and then the floor: 10 000 + 10 × 10 000
    assertTrue(granted >= 100_000 && granted <= 110_000, "granted " + granted);
    assertEquals(10_000 - granted / 1000, b.refusedPackets());
    assertEquals(b.refusedPackets() * 1000, b.refusedBytes());
  }

  @Test
  void theBudgetFollowsWhatTheViewerIsSent() {
    RetransmissionBudget b = new RetransmissionBudget(50, 1_000, 0);
    long t = 0;
    for (; t < 3 * SECOND; t += 10 * MS) {
      b.sent(5_000, t); // 500 kB/s of live video
    }
    assertEquals(250_000, b.bytesPerSecond(t), 1, "half of it");
    long granted = 0;
    for (long end = t + 2 * SECOND; t < end; t += 10 * MS) {
      b.sent(5_000, t);
      if (b.take(10_000, t)) { // a flood asks for 1 MB/s
        granted += 10_000;
      }
    }
    // at most a full bucket (one second) plus two seconds at 250 kB/s
    assertTrue(granted >= 400_000 && granted <= 750_000, "granted " + granted);
    assertTrue(b.refusedPackets() > 0);
  }

  @Test
  void aQuietViewerFallsBackToTheFloor() {
    RetransmissionBudget b = new RetransmissionBudget(100, 2_000, 0);
    b.sent(1_000_000, 0); // a GOP burst
    assertEquals(1_000_000, b.bytesPerSecond(500 * MS), 1);
    assertEquals(1_000_000, b.bytesPerSecond(1500 * MS), 1, "the last second still had it");
    assertEquals(2_000, b.bytesPerSecond(3100 * MS), 1, "nothing sent for two seconds: the floor");
    assertFalse(b.take(1_000_000, 3100 * MS));
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new RetransmissionBudget(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new RetransmissionBudget(1001, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new NackBudget(100, -1));
  }
}
