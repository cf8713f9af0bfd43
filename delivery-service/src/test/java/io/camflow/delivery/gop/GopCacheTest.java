package io.camflow.delivery.gop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.record.MediaRecordFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GopCacheTest {

  private long offset;

  private Unit video(String session, long pts, long dts, boolean key) {
    return new Unit(
        new AccessUnit(0, Codec.H264, pts, dts, 90_000, key, new byte[] {0, 0, 0, 1, 0x41}, null),
        session,
        offset++,
        0,
        MediaRecordFormat.RECEIVED_UNKNOWN);
  }

  private Unit audio(String session, long pts) {
    return new Unit(
        new AccessUnit(1, Codec.PCMU, pts, pts, 8_000, true, new byte[160], null),
        session,
        offset++,
        0,
        MediaRecordFormat.RECEIVED_UNKNOWN);
  }

  @Test
  void keepsEveryTrackFromTheLatestVideoKeyframe() {
    GopCache cache = new GopCache();
    cache.accept(audio("a", 0)); // before any keyframe: nothing to start with
    cache.accept(video("a", 0, 0, false));
    assertTrue(cache.snapshot().gop().isEmpty());
    cache.accept(video("a", 3000, 3000, true));
    cache.accept(audio("a", 300));
    cache.accept(video("a", 6000, 6000, false));
    assertEquals(
        List.of(3000L, 300L, 6000L),
        cache.snapshot().gop().stream().map(u -> u.au().pts()).toList());
    cache.accept(video("a", 9000, 9000, true));
    assertEquals(List.of(9000L), cache.snapshot().gop().stream().map(u -> u.au().pts()).toList());
  }

  @Test
  void aNewSessionStartsOverAndAudioIsNoKeyframe() {
    GopCache cache = new GopCache();
    cache.accept(video("a", 0, 0, true));
    cache.accept(video("a", 3000, 3000, false));
    cache.accept(
        video("b", 0, 0, false)); // the camera came back mid-GOP: no picture to start with yet
    assertTrue(cache.snapshot().gop().isEmpty());
    cache.accept(audio("b", 0));
    assertTrue(cache.snapshot().gop().isEmpty(), "an audio frame is no start point for video");
    cache.accept(video("b", 3000, 3000, true));
    assertEquals(1, cache.snapshot().gop().size());
  }

  @Test
  void noticesBFramesPerSession() {
    GopCache cache = new GopCache();
    cache.accept(video("a", 0, 0, true));
    cache.accept(video("a", 3000, 3000, false));
    assertFalse(cache.snapshot().reorders());
    // I P B in decode order: the B is shown before the P decoded earlier
    cache.accept(video("b", 6000, 0, true));
    cache.accept(video("b", 15000, 3000, false));
    cache.accept(video("b", 9000, 6000, false));
    assertTrue(cache.snapshot().reorders());
    cache.accept(video("c", 0, 0, true));
    assertFalse(cache.snapshot().reorders(), "a new session is judged on its own");
  }

  @Test
  void aJoiningListenerGetsTheSnapshotThenEveryLaterUnitAndNothingAfterLeaving() {
    GopCache cache = new GopCache();
    cache.accept(video("a", 0, 0, true));
    List<Long> seen = new ArrayList<>();
    GopCache.Listener listener = u -> seen.add(u.au().pts());
    GopCache.Snapshot start = cache.join(listener);
    assertEquals(1, start.gop().size());
    cache.accept(video("a", 3000, 3000, false));
    cache.accept(video("a", 6000, 6000, false));
    cache.leave(listener);
    cache.accept(video("a", 9000, 9000, false));
    assertEquals(List.of(3000L, 6000L), seen);
    assertEquals(0, cache.listeners());
  }

  @Test
  void aGopPastTheBoundIsGivenUpUntilTheNextKeyframe() {
    GopCache cache = new GopCache();
    byte[] big = new byte[(int) (GopCache.MAX_BYTES / 4)];
    for (int i = 0; i < 5; i++) {
      cache.accept(
          new Unit(
              new AccessUnit(0, Codec.H264, i * 3000L, i * 3000L, 90_000, i == 0, big, null),
              "a",
              offset++,
              0,
              MediaRecordFormat.RECEIVED_UNKNOWN));
    }
    assertTrue(cache.snapshot().gop().isEmpty());
    cache.accept(video("a", 15000, 15000, true));
    assertEquals(1, cache.snapshot().gop().size());
  }
}
