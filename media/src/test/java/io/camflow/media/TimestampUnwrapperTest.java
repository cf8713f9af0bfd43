package io.camflow.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimestampUnwrapperTest {

  private static final long WRAP_32 = 1L << 32;

  @Test
  void firstValueIsTakenAsIs() {
    assertEquals(123_456, new TimestampUnwrapper(32).unwrap(123_456));
  }

  @Test
  void forwardWrapAddsTwoToTheBits() {
    TimestampUnwrapper u = new TimestampUnwrapper(32);
    assertEquals(WRAP_32 - 3600, u.unwrap(WRAP_32 - 3600));
    assertEquals(WRAP_32, u.unwrap(0));
    assertEquals(WRAP_32 + 3600, u.unwrap(3600));
  }

  @Test
  void bFrameReorderStraddlingTheWrapStaysBackward() {
    // decode order I P B B with 3600-tick frames; the P lands after the wrap, the B-frames before
    // it
    TimestampUnwrapper u = new TimestampUnwrapper(32);
    long i = WRAP_32 - 7200;
    assertEquals(i, u.unwrap(i));
    assertEquals(i + 3 * 3600, u.unwrap((i + 3 * 3600) % WRAP_32)); // P: raw 3600, after the wrap
    assertEquals(i + 3600, u.unwrap(i + 3600)); // B: raw before the wrap
    assertEquals(i + 2 * 3600, u.unwrap((i + 2 * 3600) % WRAP_32)); // B: raw 0, exactly at the wrap
    assertEquals(i + 4 * 3600, u.unwrap((i + 4 * 3600) % WRAP_32));
  }

  @Test
  void wrapsRepeatedly() {
    TimestampUnwrapper u = new TimestampUnwrapper(32);
    long step = WRAP_32 / 3; // under half the range: always forward
    long expected = 0;
    for (int n = 0; n < 10; n++) {
      assertEquals(expected, u.unwrap(expected % WRAP_32));
      expected += step;
    }
  }

  @Test
  void smallBackwardStepIsBackward() {
    TimestampUnwrapper u = new TimestampUnwrapper(32);
    u.unwrap(10_000);
    assertEquals(6_400, u.unwrap(6_400));
    assertEquals(-100, u.unwrap(WRAP_32 - 100), "backwards across zero");
  }

  @Test
  void acceptsSignExtendedRtpTimestampsFromAnInt() {
    TimestampUnwrapper u = new TimestampUnwrapper(32);
    int raw = 0xFFFF_FF00;
    assertEquals(0xFFFF_FF00L, u.unwrap(raw));
    assertEquals(WRAP_32 + 0x10, u.unwrap(0x10));
  }

  @Test
  void mpegTs33BitWrap() {
    TimestampUnwrapper u = new TimestampUnwrapper(33);
    long wrap = 1L << 33;
    u.unwrap(wrap - 1800);
    assertEquals(wrap + 1800, u.unwrap(1800));
  }

  @Test
  void resetForgetsHistory() {
    TimestampUnwrapper u = new TimestampUnwrapper(32);
    u.unwrap(WRAP_32 - 10);
    u.unwrap(5);
    u.reset();
    assertEquals(5, u.unwrap(5));
  }

  @Test
  void rejectsUnusableWidths() {
    assertThrows(IllegalArgumentException.class, () -> new TimestampUnwrapper(0));
    assertThrows(IllegalArgumentException.class, () -> new TimestampUnwrapper(63));
    assertEquals(32, new TimestampUnwrapper(32).bits());
  }
}
