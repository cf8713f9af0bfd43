package io.camflow.delivery.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MseMessagesTest {

  @Test
  void playIsLiveUnlessItNamesAnInstant() {
    MseMessages.Play live =
        assertInstanceOf(
            MseMessages.Play.class,
            MseMessages.fromClient("{\"type\":\"play\",\"codecs\":[\"avc1.64001f\"]}"));
    assertEquals(List.of("avc1.64001f"), live.codecs());
    assertNull(live.at());
    assertEquals(1, live.rate());
    MseMessages.Play recorded =
        assertInstanceOf(
            MseMessages.Play.class,
            MseMessages.fromClient(
                "{\"type\":\"play\",\"codecs\":[],\"at\":\"2026-12-07T11:00:00+01:00\",\"rate\":2}"));
    assertEquals(Instant.parse("2026-12-07T10:00:00Z"), recorded.at());
    assertEquals(2, recorded.rate());
  }

  @Test
  void seekRatePositionAndGoLive() {
    assertEquals(
        new MseMessages.Seek(Instant.parse("2026-12-07T10:00:00.250Z")),
        MseMessages.fromClient("{\"type\":\"seek\",\"at\":\"2026-12-07T10:00:00.250Z\"}"));
    assertEquals(
        new MseMessages.Rate(0.5), MseMessages.fromClient("{\"type\":\"rate\",\"rate\":0.5}"));
    assertEquals(
        new MseMessages.Position(12.04),
        MseMessages.fromClient("{\"type\":\"position\",\"time\":12.04}"));
    assertInstanceOf(MseMessages.GoLive.class, MseMessages.fromClient("{\"type\":\"golive\"}"));
  }

  @Test
  void badFieldsAreRefusedWithWhatWasExpected() {
    for (String bad :
        List.of(
            "{\"type\":\"seek\",\"at\":\"yesterday\"}",
            "{\"type\":\"seek\",\"at\":\"2026-12-07T10:00:00\"}", // no zone
            "{\"type\":\"seek\"}",
            "{\"type\":\"rate\",\"rate\":16}",
            "{\"type\":\"rate\",\"rate\":0.25}",
            "{\"type\":\"rate\",\"rate\":\"2\"}",
            "{\"type\":\"position\",\"time\":-1}",
            "{\"type\":\"play\",\"codecs\":[],\"at\":\"soon\"}")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> MseMessages.fromClient(bad), bad);
      assertTrue(
          e.getMessage().contains("at")
              || e.getMessage().contains("rate")
              || e.getMessage().contains("time"),
          bad + ": " + e.getMessage());
    }
  }

  @Test
  void recordingEventsSayWhereThePictureIs() {
    assertEquals(
        "{\"type\":\"recording\",\"at\":\"2026-12-07T10:00:00Z\",\"time\":101.5,\"clamped\":true}",
        MseMessages.recording(Instant.parse("2026-12-07T10:00:00Z"), 101.5, true));
    assertEquals(
        "{\"type\":\"segment\",\"start\":\"2026-12-07T10:00:00Z\",\"time\":100.0,\"duration\":2.0}",
        MseMessages.segment(Instant.parse("2026-12-07T10:00:00Z"), 100, 2));
  }
}
