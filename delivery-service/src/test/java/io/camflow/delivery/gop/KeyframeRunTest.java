package io.camflow.delivery.gop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyframeRunTest {

  @Test
  void keepsTheItemsFromTheLatestKeyframeAndNothingBeforeTheFirst() {
    KeyframeRun<String> run = new KeyframeRun<>(1_000);
    run.add("p0", false, 10);
    assertFalse(run.started(), "no keyframe yet: no start point");
    assertEquals(List.of(), run.items());
    run.add("k1", true, 10);
    run.add("p1", false, 10);
    assertEquals(List.of("k1", "p1"), run.items());
    run.add("k2", true, 10);
    assertEquals(List.of("k2"), run.items());
    assertTrue(run.started());
  }

  @Test
  void givesUpPastItsBytesUntilTheNextKeyframe() {
    KeyframeRun<String> run = new KeyframeRun<>(25);
    run.add("k1", true, 10);
    run.add("p1", false, 10);
    run.add("p2", false, 10);
    assertFalse(run.started());
    run.add("p3", false, 1);
    assertEquals(List.of(), run.items(), "nothing until a keyframe");
    run.add("k2", true, 10);
    assertEquals(List.of("k2"), run.items());
  }

  @Test
  void clearForgetsTheStartPoint() {
    KeyframeRun<String> run = new KeyframeRun<>(100);
    run.add("k1", true, 10);
    run.clear();
    run.add("p1", false, 10);
    assertFalse(run.started());
    assertEquals(List.of(), run.items());
  }
}
