package io.camflow.media.hls;

import static io.camflow.media.hls.BlockingRequest.Decision.READY;
import static io.camflow.media.hls.BlockingRequest.Decision.WAIT;
import static io.camflow.media.hls.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaylistWindowTest {

  private static final Duration HALF = Duration.ofMillis(500);
  private static final Duration TWO = Duration.ofSeconds(2);

  /** Adds segment msn as four 0.5 s parts and completes it. */
  private static void segment(PlaylistWindow w, long msn, long init) {
    for (int i = 0; i < 4; i++) {
      assertTrue(w.addPart(msn, i, 0.5, i == 0, pdt(msn, i), init));
    }
    assertTrue(w.completeSegment(msn, 2.0));
  }

  private static Instant pdt(long msn, int part) {
    return T0.plusMillis(msn * 2000 + part * 500L);
  }

  private static PlaylistChecker.Parsed check(PlaylistWindow w) {
    return PlaylistChecker.check(w.snapshot().orElseThrow().render());
  }

  @Test
  void emptyUntilTheFirstPart() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    assertTrue(w.snapshot().isEmpty());
    assertFalse(w.addPart(5, 1, 0.5, false, T0, 0), "joined mid-segment: wait for a part 0");
    assertTrue(w.snapshot().isEmpty());
    assertTrue(w.addPart(6, 0, 0.5, true, T0, 0));
    PlaylistChecker.Parsed p = check(w);
    assertEquals(6, p.mediaSequence());
    assertEquals("part-6.1.m4s", p.preloadHint());
    assertEquals("2026-05-13T10:15:30.040Z", p.segments().get(0).pdt(), "PDT of part 0");
  }

  /** The packager's own targets (from its init records) win over what the window was made with. */
  @Test
  void thePackagersTargetsReplaceTheAssumedOnes() {
    PlaylistWindow w = new PlaylistWindow(Duration.ofMillis(333), TWO, 7);
    w.targets(HALF, Duration.ofSeconds(4));
    segment(w, 0, 0);
    PlaylistChecker.Parsed p = check(w);
    assertEquals(new java.math.BigDecimal("0.5"), p.partTarget().stripTrailingZeros());
    assertEquals(4, p.targetDuration());
    w.targets(HALF, Duration.ofSeconds(1));
    assertEquals(
        4, check(w).targetDuration(), "the target duration never shrinks once segments are out");
    assertThrows(IllegalArgumentException.class, () -> w.targets(Duration.ZERO, TWO));
  }

  /**
   * 6.2.2: "Its value MUST be incremented by 1 for every Media Segment that is removed from the
   * Playlist file. It MUST NOT decrease or wrap."
   */
  @Test
  void mediaSequenceFollowsRemovedSegments() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    long previous = -1;
    for (long msn = 0; msn < 20; msn++) {
      segment(w, msn, 0);
      PlaylistChecker.Parsed p = check(w);
      assertEquals(Math.min(7, msn + 1), p.complete().size());
      assertEquals(Math.max(0, msn - 6), p.mediaSequence());
      assertTrue(p.mediaSequence() >= previous);
      previous = p.mediaSequence();
      assertEquals(msn, w.snapshot().orElseThrow().lastMsn());
    }
  }

  /**
   * 6.2.2: "If the server removes an EXT-X-DISCONTINUITY tag from the Media Playlist, it MUST
   * increment the value of the EXT-X-DISCONTINUITY-SEQUENCE tag so that the Discontinuity Sequence
   * Numbers of the segments still in the Media Playlist remain unchanged."
   */
  @Test
  void discontinuitySequenceKeepsEverySegmentsNumber() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 5);
    Map<Long, Long> dsnOf = new HashMap<>();
    for (long msn = 0; msn < 30; msn++) {
      long init = msn < 4 ? 0 : msn < 9 ? 1 : msn < 10 ? 2 : 3; // sessions change at 4, 9, 10
      segment(w, msn, init);
      PlaylistChecker.Parsed p = check(w);
      for (PlaylistChecker.Segment s : p.segments()) {
        Long known = dsnOf.putIfAbsent(s.msn(), s.discontinuitySequenceNumber());
        if (known != null) {
          assertEquals(known, s.discontinuitySequenceNumber(), "DSN of segment " + s.msn());
        }
        // each new session has its own init and a discontinuity before its first segment
        assertEquals(s.msn() == 4 || s.msn() == 9 || s.msn() == 10, s.discontinuity());
      }
    }
    assertEquals(0L, dsnOf.get(3L));
    assertEquals(1L, dsnOf.get(4L));
    assertEquals(2L, dsnOf.get(9L));
    assertEquals(3L, dsnOf.get(10L));
    assertEquals(3L, dsnOf.get(29L));
    // all three discontinuities have slid out: the sequence carries them
    assertEquals(3, w.discontinuitySequence());
    assertEquals(3, check(w).discontinuitySequence());
  }

  /** 4.4.4.5 + 6.2.1: a new source session gets its own init segment and EXT-X-MAP. */
  @Test
  void newSessionEmitsDiscontinuityAndMap() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    segment(w, 0, 0);
    segment(w, 1, 0);
    assertTrue(w.addPart(2, 0, 0.5, true, pdt(2, 0), 1));
    String text = w.snapshot().orElseThrow().render();
    assertTrue(
        text.contains(
            "seg-1.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"\n"
                + "#EXT-X-PROGRAM-DATE-TIME:"),
        text);
    PlaylistChecker.check(text);
    // a different init inside a segment is a packager bug
    assertThrows(IllegalArgumentException.class, () -> w.addPart(2, 1, 0.5, false, T0, 2));
  }

  /**
   * 4.4.4.3: the tag "MUST be present if there is a change in ... timestamp sequence", which the
   * packager may signal without a new init.
   */
  @Test
  void explicitDiscontinuityWithoutANewInit() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    segment(w, 0, 0);
    assertTrue(w.addPart(1, 0, 0.5, true, pdt(1, 0), 0, true));
    assertTrue(w.addPart(1, 1, 0.5, false, pdt(1, 1), 0, true), "ignored past part 0");
    PlaylistChecker.Parsed p = check(w);
    assertTrue(p.segments().get(1).discontinuity());
    assertEquals(1, p.segments().get(1).discontinuitySequenceNumber());
    String text = w.snapshot().orElseThrow().render();
    assertEquals(1, text.split("#EXT-X-MAP:", -1).length - 1, "same init: no second MAP");
  }

  /**
   * 6.2.2: "The server MUST NOT remove a Media Segment from a Playlist file without an
   * EXT-X-ENDLIST tag if that would produce a Playlist whose duration is less than three times the
   * Target Duration."
   */
  @Test
  void neverShorterThanThreeTargetDurations() {
    // segment target 4 s (TD 4) but 1 s segments arrive; keep only 3 by count
    PlaylistWindow w = new PlaylistWindow(HALF, Duration.ofSeconds(4), 3);
    for (long msn = 0; msn < 40; msn++) {
      w.addPart(msn, 0, 0.5, true, pdt(msn, 0), 0);
      w.addPart(msn, 1, 0.5, false, pdt(msn, 1), 0);
      w.completeSegment(msn, 1.0);
      MediaPlaylist p = w.snapshot().orElseThrow();
      if (msn >= 11) {
        assertEquals(12, p.segments().size(), "12 x 1 s = 3 x TD 4");
      }
      assertTrue(p.durationSeconds() >= Math.min(msn + 1, 12));
      PlaylistChecker.check(p.render());
    }
  }

  @Test
  void duplicatesAndReplaysAreIgnored() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    segment(w, 0, 0);
    w.addPart(1, 0, 0.5, true, pdt(1, 0), 0);
    long version = w.version();
    String before = w.snapshot().orElseThrow().render();
    assertFalse(w.addPart(0, 2, 0.5, false, T0, 0));
    assertFalse(w.addPart(1, 0, 0.5, true, T0, 0));
    assertFalse(w.completeSegment(0, 2.0));
    assertEquals(version, w.version());
    assertEquals(before, w.snapshot().orElseThrow().render());
  }

  @Test
  void nextSegmentsFirstPartCompletesTheOpenSegment() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    w.addPart(0, 0, 0.5, true, pdt(0, 0), 0);
    w.addPart(0, 1, 0.4, false, pdt(0, 1), 0);
    assertTrue(w.addPart(1, 0, 0.5, true, pdt(1, 0), 0)); // completion record missing
    MediaPlaylist p = w.snapshot().orElseThrow();
    assertEquals(0, p.lastMsn());
    assertEquals(0.9, p.segment(0).orElseThrow().durationSeconds(), 1e-9);
    PlaylistChecker.check(p.render());
  }

  /**
   * Records lost: the segment that cannot be completed is dropped, and a gap in segment numbers
   * restarts the window with a discontinuity that keeps the sequence arithmetic consistent.
   */
  @Test
  void gapRestartsTheWindowWithADiscontinuity() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    for (long msn = 0; msn < 5; msn++) {
      segment(w, msn, 0);
    }
    w.addPart(5, 0, 0.5, true, pdt(5, 0), 0);
    assertFalse(w.addPart(5, 2, 0.5, false, pdt(5, 2), 0), "part 5.1 was lost");
    assertEquals(4, w.snapshot().orElseThrow().lastMsn(), "segment 5 is gone");
    assertEquals(-1, w.snapshot().orElseThrow().lastPartIndex());
    assertFalse(w.completeSegment(5, 2.0));
    assertTrue(w.addPart(6, 0, 0.5, true, pdt(6, 0), 0));
    PlaylistChecker.Parsed p = check(w);
    assertEquals(6, p.mediaSequence());
    assertEquals(1, p.segments().size());
    assertTrue(p.segments().get(0).discontinuity());
    assertEquals(1, p.segments().get(0).discontinuitySequenceNumber());
  }

  /** 4.4.5.3: no PRELOAD-HINT with EXT-X-ENDLIST; 6.2.1: the final segment gets ENDLIST. */
  @Test
  void endClosesThePlaylist() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 7);
    segment(w, 0, 0);
    w.addPart(1, 0, 0.5, true, pdt(1, 0), 0);
    w.end();
    PlaylistChecker.Parsed p = check(w);
    assertTrue(p.endList());
    assertEquals(2, p.complete().size());
    assertEquals(READY, BlockingRequest.of(50, 0).decide(w.snapshot().orElseThrow()));
    assertThrows(IllegalStateException.class, () -> w.addPart(2, 0, 0.5, true, T0, 0));
  }

  /**
   * 6.2.1: "The value of the EXT-X-TARGETDURATION tag in the Media Playlist MUST NOT change." It
   * can only grow when a long GOP would otherwise break 4.4.3.1, and never shrinks back.
   */
  @Test
  void targetDurationNeverShrinks() {
    PlaylistWindow w = new PlaylistWindow(HALF, TWO, 3);
    segment(w, 0, 0);
    assertEquals(2, check(w).targetDuration());
    for (int i = 0; i < 8; i++) {
      w.addPart(1, i, 0.5, i == 0, pdt(1, i), 0);
    }
    w.completeSegment(1, 4.0); // a 4 s GOP
    assertEquals(4, check(w).targetDuration());
    for (long msn = 2; msn < 12; msn++) {
      segment(w, msn, 0);
      assertEquals(4, check(w).targetDuration());
    }
    assertEquals(6, w.snapshot().orElseThrow().segments().size(), "3 x TD 4 = 12 s = 6 segments");
  }

  /**
   * End to end: PartSchedule cuts a 25 fps stream (2 s GOP, a reconnect with a new init after 30 s,
   * a 4 s GOP after 60 s), the window publishes after every part, and every published playlist
   * passes the RFC checks. A client in the manner of hls.js asks for the hinted part with
   * _HLS_msn/_HLS_part each time: the request waits on the playlist it came from and is ready on
   * the next one, never too far ahead.
   */
  @Test
  void liveStreamSimulation() {
    Simulation sim = new Simulation();
    for (int frame = 0; frame < 25 * 90; frame++) {
      if (frame == 25 * 30) {
        sim.reconnect(); // camera reconnect: new source session, new clock
      }
      int gop = frame < 25 * 60 ? 50 : 100;
      sim.frame(frame, frame % gop == 0);
    }
    assertTrue(sim.playlists > 280, "published " + sim.playlists);
    MediaPlaylist last = sim.window.snapshot().orElseThrow();
    assertEquals(4, last.targetDurationSeconds(), "grew with the 4 s GOP");
    assertEquals(1, sim.window.discontinuitySequence(), "the reconnect slid out of the window");
  }

  /** A packager (PartSchedule) feeding a delivery window, and a blocking client. */
  private static final class Simulation {
    static final int TS = 90_000;
    final PartSchedule schedule = new PartSchedule();
    final PlaylistWindow window =
        new PlaylistWindow(
            PartSchedule.DEFAULT_PART_TARGET, PartSchedule.DEFAULT_SEGMENT_TARGET, 7);
    long dts = 5_000;
    long msn = -1;
    int partIndex = -1;
    long partStart;
    long segmentStart;
    int partStartFrame;
    boolean partIndependent;
    long init;
    BlockingRequest pending;
    int playlists;

    void frame(int frame, boolean key) {
      PartSchedule.Cut cut = schedule.next(dts, TS, key);
      if (cut == PartSchedule.Cut.PART || cut == PartSchedule.Cut.SEGMENT) {
        if (partIndex >= 0) {
          close(cut == PartSchedule.Cut.SEGMENT);
        }
        if (cut == PartSchedule.Cut.SEGMENT) {
          msn++;
          partIndex = 0;
          segmentStart = dts;
        } else {
          partIndex++;
        }
        partStart = dts;
        partStartFrame = frame;
        partIndependent = key;
      }
      dts += 3600;
    }

    void reconnect() {
      close(true);
      partIndex = -1;
      schedule.reset();
      init++;
      dts += 7_777_777;
    }

    /** Publishes the current part (ending at dts) and, if asked, its segment. */
    void close(boolean segmentToo) {
      double duration = (dts - partStart) / (double) TS;
      assertTrue(
          window.addPart(
              msn,
              partIndex,
              duration,
              partIndependent,
              T0.plusMillis(partStartFrame * 40L),
              init));
      if (segmentToo) {
        assertTrue(window.completeSegment(msn, (dts - segmentStart) / (double) TS));
      }
      MediaPlaylist p = window.snapshot().orElseThrow();
      PlaylistChecker.check(p.render());
      playlists++;
      if (pending != null) {
        assertEquals(READY, pending.decide(p), "the hinted part arrived: " + pending);
      }
      HlsResource.Part hinted =
          (HlsResource.Part) HlsNames.parse(p.preloadHint().uri()).orElseThrow();
      pending = BlockingRequest.of(hinted.msn(), hinted.index());
      assertEquals(WAIT, pending.decide(p));
    }
  }

  @Test
  void refusesBadConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> new PlaylistWindow(HALF, TWO, 2));
    assertThrows(IllegalArgumentException.class, () -> new PlaylistWindow(Duration.ZERO, TWO, 7));
    PlaylistWindow w = new PlaylistWindow();
    assertThrows(IllegalArgumentException.class, () -> w.addPart(0, 0, 0, true, T0, 0));
    assertThrows(IllegalArgumentException.class, () -> w.addPart(-1, 0, 0.3, true, T0, 0));
    assertThrows(IllegalArgumentException.class, () -> w.addPart(0, 10_000, 0.3, true, T0, 0));
    assertThrows(NullPointerException.class, () -> w.addPart(0, 0, 0.3, true, null, 0));
  }
}
