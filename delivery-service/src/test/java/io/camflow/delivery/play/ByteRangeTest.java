package io.camflow.delivery.play;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

  private static ByteRange part(String header, long length) {
    return assertInstanceOf(ByteRange.Part.class, ByteRange.of(header, length)).range();
  }

  @Test
  void theThreeFormsOfOneRange() {
    assertEquals(new ByteRange(0, 99), part("bytes=0-99", 1000));
    assertEquals(new ByteRange(500, 999), part("bytes=500-", 1000));
    assertEquals(new ByteRange(900, 999), part("bytes=-100", 1000));
    assertEquals(100, part("bytes=0-99", 1000).length());
    assertEquals("bytes 0-99/1000", part("bytes=0-99", 1000).contentRange(1000));
  }

  @Test
  void anEndPastTheLastByteIsTheLastByte() {
    assertEquals(new ByteRange(10, 999), part("bytes=10-5000", 1000));
    assertEquals(new ByteRange(0, 999), part("bytes=-5000", 1000));
    assertEquals(new ByteRange(10, 999), part("bytes=10-99999999999999999999", 1000));
  }

  @Test
  void aStartPastTheEndCannotBeSatisfied() {
    assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.of("bytes=1000-", 1000));
    assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.of("bytes=-0", 1000));
    assertInstanceOf(
        ByteRange.Unsatisfiable.class, ByteRange.of("bytes=99999999999999999999-", 1000));
  }

  @Test
  void whatIsNotOneByteRangeGetsTheWhole() {
    assertInstanceOf(ByteRange.Whole.class, ByteRange.of(null, 1000));
    assertInstanceOf(ByteRange.Whole.class, ByteRange.of("bytes=0-1,5-6", 1000));
    assertInstanceOf(ByteRange.Whole.class, ByteRange.of("items=0-1", 1000));
    assertInstanceOf(ByteRange.Whole.class, ByteRange.of("bytes=5-1", 1000));
    assertInstanceOf(ByteRange.Whole.class, ByteRange.of("bytes=-", 1000));
    assertInstanceOf(ByteRange.Whole.class, ByteRange.of("", 1000));
  }
}
