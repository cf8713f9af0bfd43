package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceNumbersTest {

  @Test
  void theFirstPacketAndTheOnesThatFollowOnMissNothing() {
    SequenceNumbers numbers = new SequenceNumbers();
    assertEquals(0, numbers.missingBefore(65_535));
    numbers.accept(65_535);
    assertEquals(0, numbers.missingBefore(0), "across the wrap");
  }

  @Test
  void countsTheGapAcrossTheWrap() {
    SequenceNumbers numbers = new SequenceNumbers();
    numbers.accept(65_534);
    assertEquals(3, numbers.missingBefore(2));
  }

  @Test
  void duplicatesAndLatePacketsAreToBeDropped() {
    SequenceNumbers numbers = new SequenceNumbers();
    numbers.accept(3);
    assertEquals(-1, numbers.missingBefore(3));
    assertEquals(-1, numbers.missingBefore(2));
    assertEquals(-1, numbers.missingBefore(65_535), "late across the wrap");
    assertEquals(-1, numbers.missingBefore((3 - SequenceNumbers.MAX_MISORDER) & 0xFFFF));
  }

  @Test
  void farBehindIsASenderThatStartedAgain() {
    SequenceNumbers numbers = new SequenceNumbers();
    numbers.accept(30_000);
    assertEquals(1, numbers.missingBefore(1_000));
  }
}
