package io.camflow.media.hls;

import static io.camflow.media.hls.Fixtures.T0;
import static io.camflow.media.hls.Fixtures.complete;
import static io.camflow.media.hls.Fixtures.inProgress;
import static io.camflow.media.hls.Fixtures.parts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MediaPlaylistTest {

  @Test
  void rendersTheExactText() {
    MediaPlaylist playlist =
        MediaPlaylist.builder()
            .partTargetSeconds(0.5)
            .addSegment(complete(10, 4, 0.5))
            .addSegment(complete(11, 4, 0.5))
            .addSegment(
                SegmentRef.inProgress(
                    12,
                    Instant.parse("2026-05-13T10:15:54.100Z"),
                    true,
                    "init-1.mp4",
                    parts(12, 2, 0.5)))
            .preloadHint(new PreloadHint("part-12.2.m4s"))
            .build();

    String expected =
        """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-TARGETDURATION:2
        #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.50000,HOLD-BACK=6.00000
        #EXT-X-PART-INF:PART-TARGET=0.50000
        #EXT-X-MEDIA-SEQUENCE:10
        #EXT-X-DISCONTINUITY-SEQUENCE:0
        #EXT-X-MAP:URI="init-0.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2026-05-13T10:15:50.040Z
        #EXT-X-PART:DURATION=0.50000,URI="part-10.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.50000,URI="part-10.1.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="part-10.2.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="part-10.3.m4s"
        #EXTINF:2.00000,
        seg-10.m4s
        #EXT-X-PROGRAM-DATE-TIME:2026-05-13T10:15:52.040Z
        #EXT-X-PART:DURATION=0.50000,URI="part-11.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.50000,URI="part-11.1.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="part-11.2.m4s"
        #EXT-X-PART:DURATION=0.50000,URI="part-11.3.m4s"
        #EXTINF:2.00000,
        seg-11.m4s
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init-1.mp4"
        #EXT-X-PROGRAM-DATE-TIME:2026-05-13T10:15:54.100Z
        #EXT-X-PART:DURATION=0.50000,URI="part-12.0.m4s",INDEPENDENT=YES
        #EXT-X-PART:DURATION=0.50000,URI="part-12.1.m4s"
        #EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-12.2.m4s"
        """;
    assertEquals(expected, playlist.render());
    PlaylistChecker.check(playlist.render());
  }

  /** A URI query (a signed token) goes onto every URI: map, parts, segments and the hint. */
  @Test
  void appendsTheUriQueryToEveryUri() {
    MediaPlaylist playlist = Fixtures.live(100, 103, 2);
    String plain = playlist.render();
    String signed = playlist.render("st=1.1700000000.AbC-_x");
    assertEquals(plain.replaceAll("(\\.m4s|\\.mp4)", "$1?st=1.1700000000.AbC-_x"), signed);
    long uris = plain.lines().filter(l -> l.contains(".m4s") || l.contains(".mp4")).count();
    assertEquals(uris, signed.lines().filter(l -> l.contains("?st=1.1700000000.AbC-_x")).count());
    assertTrue(uris > 5, plain);
    assertEquals(plain, playlist.render(""));
  }

  @Test
  void refusesAQueryThatWouldBreakTheAttributeSyntax() {
    MediaPlaylist playlist = Fixtures.live(100, 103, 2);
    assertThrows(IllegalArgumentException.class, () -> playlist.render("st=\"x"));
    assertThrows(IllegalArgumentException.class, () -> playlist.render("st=a b"));
    assertThrows(IllegalArgumentException.class, () -> playlist.render("st=a\nb"));
    assertThrows(IllegalArgumentException.class, () -> playlist.render("st=a#b"));
  }

  /**
   * 4.4.1.1: "It MUST be the first line"; 4.4.3.2/4.4.3.3: MEDIA-SEQUENCE and
   * DISCONTINUITY-SEQUENCE "MUST appear before the first Media Segment"; 4.4.3.7: PART-INF "is
   * REQUIRED if a Playlist contains one or more EXT-X-PART tags"; the header tags appear once, in a
   * fixed order.
   */
  @Test
  void headerTagsAppearOnceInOrderBeforeTheFirstSegment() {
    String text = Fixtures.live(100, 105, 2).render();
    List<String> lines = PlaylistChecker.check(text).lines();
    assertEquals(
        List.of(
            "#EXTM3U",
            "#EXT-X-VERSION:6",
            "#EXT-X-INDEPENDENT-SEGMENTS",
            "#EXT-X-TARGETDURATION:2"),
        lines.subList(0, 4));
    assertTrue(lines.get(4).startsWith("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,"));
    assertTrue(lines.get(5).startsWith("#EXT-X-PART-INF:PART-TARGET="));
    assertEquals("#EXT-X-MEDIA-SEQUENCE:100", lines.get(6));
    assertTrue(lines.get(7).startsWith("#EXT-X-MAP:"), "no discontinuity: no DISC-SEQUENCE tag");
  }

  /**
   * 4.4.3.1: "The EXTINF duration of each Media Segment in a Playlist file, when rounded to the
   * nearest integer, MUST be less than or equal to the Target Duration."
   */
  @Test
  void targetDurationIsTheLongestSegmentRounded() {
    // 29.97 fps, 60-frame GOP: 2.002 s rounds to 2
    assertEquals(2, withSegmentDurations(2.002, 1.9).targetDurationSeconds());
    assertEquals(3, withSegmentDurations(2.002, 2.5).targetDurationSeconds());
    // a 4 s GOP makes 4 s segments
    assertEquals(4, withSegmentDurations(4.0, 4.0).targetDurationSeconds());
    // the floor wins when larger (kept stable across reloads, 6.2.1)
    MediaPlaylist floored =
        MediaPlaylist.builder()
            .targetDurationSeconds(5)
            .addSegment(
                SegmentRef.complete(0, "seg-0.m4s", 2.0, T0, false, "init-0.mp4", List.of()))
            .preloadHint(new PreloadHint("part-1.0.m4s"))
            .build();
    assertEquals(5, floored.targetDurationSeconds());
    assertEquals(15.0, floored.holdBackSeconds(), 1e-9);
    for (double d : new double[] {0.4, 1.49999, 2.002, 2.5, 3.49, 9.7}) {
      PlaylistChecker.Parsed p = PlaylistChecker.check(withSegmentDurations(d, 1.0).render());
      assertTrue(Math.round(d) <= p.targetDuration());
    }
  }

  @Test
  void constructorRefusesATargetDurationBelowAnExtinf() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new MediaPlaylist(
                    2,
                    0.5,
                    1.5,
                    6,
                    0,
                    List.of(
                        SegmentRef.complete(
                            0, "seg-0.m4s", 2.6, T0, false, "init-0.mp4", List.of())),
                    null,
                    false));
    assertTrue(e.getMessage().contains("4.4.3.1"), e.getMessage());
  }

  /**
   * 4.4.4.9: "The duration of a Partial Segment MUST be less than or equal to the Part Target
   * Duration." A single frame longer than the target cannot be split, so the builder raises the
   * advertised PART-TARGET (and PART-HOLD-BACK with it) rather than publish a broken playlist.
   */
  @Test
  void partTargetCoversEveryListedPart() {
    List<PartRef> parts =
        List.of(
            new PartRef("part-0.0.m4s", 0.33334, true),
            new PartRef("part-0.1.m4s", 0.9, false)); // a 0.9 s frame at night
    MediaPlaylist p =
        MediaPlaylist.builder()
            .partTargetSeconds(0.33334)
            .addSegment(SegmentRef.inProgress(0, T0, false, "init-0.mp4", parts))
            .preloadHint(new PreloadHint("part-0.2.m4s"))
            .build();
    assertEquals(0.9, p.partTargetSeconds(), 1e-9);
    assertEquals(2.7, p.partHoldBackSeconds(), 1e-9);
    PlaylistChecker.check(p.render());

    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MediaPlaylist(
                1,
                0.5,
                1.5,
                3,
                0,
                List.of(SegmentRef.inProgress(0, T0, false, "init-0.mp4", parts)),
                null,
                false));
  }

  @Test
  void partTargetIsAtLeastTheConfiguredValueAndRendersWithFiveDecimals() {
    MediaPlaylist p = Fixtures.live(0, 2, 1);
    assertEquals(0.5, p.partTargetSeconds(), 1e-12);
    MediaPlaylist d =
        MediaPlaylist.builder()
            .addSegment(inProgress(0, 1, 0.3))
            .preloadHint(new PreloadHint("part-0.1.m4s"))
            .build();
    assertEquals(MediaPlaylist.DEFAULT_PART_TARGET_SECONDS, d.partTargetSeconds(), 1e-12);
    assertTrue(d.render().contains("#EXT-X-PART-INF:PART-TARGET=0.33334\n"));
    // 3 x 0.33334 = 1.00002
    assertTrue(d.render().contains("PART-HOLD-BACK=1.00002,"), d.render());
  }

  /**
   * 4.4.3.8 PART-HOLD-BACK: "Its value MUST be at least twice the Part Target Duration. Its value
   * SHOULD be at least three times the Part Target Duration." HOLD-BACK: "Its value MUST be at
   * least three times the Target Duration."
   */
  @Test
  void holdBacksDefaultToThreeTargetsAndRefuseLessThanTheMinimum() {
    MediaPlaylist p = Fixtures.live(0, 3, 1);
    assertEquals(1.5, p.partHoldBackSeconds(), 1e-9);
    assertEquals(6.0, p.holdBackSeconds(), 1e-9);
    PlaylistChecker.Parsed parsed = PlaylistChecker.check(p.render());
    assertTrue(
        parsed.partHoldBack().compareTo(parsed.partTarget().multiply(BigDecimal.valueOf(3))) >= 0);

    // exactly 2 x PART-TARGET is the hard minimum and is accepted
    MediaPlaylist twice =
        builderWithOneSegment().partTargetSeconds(0.5).partHoldBackSeconds(1.0).build();
    assertEquals(1.0, twice.partHoldBackSeconds(), 1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () -> builderWithOneSegment().partTargetSeconds(0.5).partHoldBackSeconds(0.99).build());
    assertThrows(
        IllegalArgumentException.class, () -> builderWithOneSegment().holdBackSeconds(5.9).build());
    assertEquals(8.0, builderWithOneSegment().holdBackSeconds(8).build().holdBackSeconds(), 0);
  }

  /**
   * 4.4.5.3 / Appendix B: a live playlist with parts has "an EXT-X-PRELOAD-HINT tag that specifies
   * the next Partial Segment that is expected to be added to the Playlist".
   */
  @Test
  void preloadHintIsLastAndNamesTheNextPart() {
    // segment in progress with 3 parts: the next is its part 3
    PlaylistChecker.Parsed p = PlaylistChecker.check(Fixtures.live(5, 8, 3).render());
    assertEquals("part-9.3.m4s", p.preloadHint());
    assertEquals("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part-9.3.m4s\"", p.lines().getLast());
    // no segment in progress: the next part is part 0 of the next segment
    PlaylistChecker.Parsed q = PlaylistChecker.check(Fixtures.live(5, 8, 0).render());
    assertEquals("part-9.0.m4s", q.preloadHint());
  }

  /**
   * 4.4.5.3: "A Playlist containing an EXT-X-ENDLIST tag MUST NOT contain an EXT-X-PRELOAD-HINT
   * tag."
   */
  @Test
  void endedPlaylistHasEndlistAndNoHint() {
    MediaPlaylist ended =
        MediaPlaylist.builder()
            .partTargetSeconds(0.5)
            .addSegment(complete(0, 4, 0.5))
            .ended(true)
            .build();
    PlaylistChecker.Parsed p = PlaylistChecker.check(ended.render());
    assertTrue(p.endList());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MediaPlaylist.builder()
                .addSegment(complete(0, 4, 0.5))
                .preloadHint(new PreloadHint("part-1.0.m4s"))
                .partTargetSeconds(0.5)
                .ended(true)
                .build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MediaPlaylist.builder()
                .addSegment(inProgress(0, 2, 0.5))
                .partTargetSeconds(0.5)
                .ended(true)
                .build());
  }

  /**
   * 4.4.4.5: EXT-X-MAP "applies to every Media Segment that appears after it in the Playlist until
   * the next EXT-X-MAP tag"; 6.2.1: changes in encoding parameters "MUST be signalled by the use of
   * EXT-X-DISCONTINUITY"; 4.4.4.9: DISCONTINUITY and MAP "MUST appear before the first EXT-X-PART
   * tag of that Parent Segment".
   */
  @Test
  void newInitAfterADiscontinuityEmitsANewMap() {
    MediaPlaylist p =
        MediaPlaylist.builder()
            .partTargetSeconds(0.5)
            .addSegment(complete(20, 4, 0.5, false, 3))
            .addSegment(complete(21, 4, 0.5, false, 3))
            .addSegment(complete(22, 4, 0.5, true, 4))
            .addSegment(complete(23, 4, 0.5, false, 4))
            .addSegment(inProgress(24, 1, 0.5, false, 4))
            .preloadHint(new PreloadHint("part-24.1.m4s"))
            .build();
    String text = p.render();
    PlaylistChecker.Parsed parsed = PlaylistChecker.check(text);
    assertEquals(2, text.split("#EXT-X-MAP:", -1).length - 1, "one MAP per init, not per segment");
    assertEquals(
        List.of("init-3.mp4", "init-3.mp4", "init-4.mp4", "init-4.mp4", "init-4.mp4"),
        parsed.segments().stream().map(PlaylistChecker.Segment::map).toList());
    int discontinuity = parsed.lines().indexOf("#EXT-X-DISCONTINUITY");
    assertEquals("#EXT-X-MAP:URI=\"init-4.mp4\"", parsed.lines().get(discontinuity + 1));
    assertTrue(parsed.lines().get(discontinuity + 2).startsWith("#EXT-X-PROGRAM-DATE-TIME:"));
    // the discontinuity is listed, so DISCONTINUITY-SEQUENCE is written even at 0 (6.2.2)
    assertTrue(text.contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n"));
    assertEquals(
        List.of(0L, 0L, 1L, 1L, 1L),
        parsed.segments().stream()
            .map(PlaylistChecker.Segment::discontinuitySequenceNumber)
            .toList());
  }

  @Test
  void discontinuitySequenceIsWrittenWhenNotZero() {
    MediaPlaylist p = builderWithOneSegment().discontinuitySequence(7).build();
    assertTrue(p.render().contains("#EXT-X-DISCONTINUITY-SEQUENCE:7\n"));
    assertFalse(builderWithOneSegment().build().render().contains("DISCONTINUITY"));
    assertThrows(
        IllegalArgumentException.class,
        () -> builderWithOneSegment().discontinuitySequence(-1).build());
  }

  /**
   * 4.4.4.6: "date-time-msec is an ISO/IEC 8601 date/time representation, such as
   * YYYY-MM-DDThh:mm:ss.SSSZ. It SHOULD indicate a time zone and fractional parts of seconds, to at
   * least millisecond accuracy."
   */
  @Test
  void programDateTimeHasMillisecondsAndZ() {
    assertEquals("2026-05-13T10:15:30.040Z", HlsFormat.programDateTime(T0));
    assertEquals(
        "2026-01-01T00:00:00.000Z",
        HlsFormat.programDateTime(Instant.parse("2026-01-01T00:00:00Z")));
    // sub-millisecond precision is truncated, never rounded into the next second
    assertEquals(
        "2026-01-01T00:00:59.999Z",
        HlsFormat.programDateTime(Instant.parse("2026-01-01T00:00:59.999999999Z")));
    assertEquals("1970-01-01T00:00:00.001Z", HlsFormat.programDateTime(Instant.ofEpochMilli(1)));
    String text = Fixtures.live(0, 2, 1).render();
    assertTrue(text.contains("#EXT-X-PROGRAM-DATE-TIME:2026-05-13T10:15:30.040Z\n"));
    assertTrue(text.contains("#EXT-X-PROGRAM-DATE-TIME:2026-05-13T10:15:32.040Z\n"));
  }

  /**
   * 4.4.4.1: "Durations SHOULD be decimal-floating-point, with enough accuracy to avoid perceptible
   * error when segment durations are accumulated." Five decimals: 10 µs.
   */
  @Test
  void durationsHaveFiveDecimals() {
    assertEquals("2.00200", HlsFormat.seconds(2.002));
    assertEquals("0.33333", HlsFormat.seconds(1.0 / 3));
    assertEquals("0.33334", HlsFormat.seconds(0.33334));
    assertEquals("2.00000", HlsFormat.seconds(1.999999));
    assertEquals("0.00001", HlsFormat.seconds(0.00001));
    assertEquals("12.50000", HlsFormat.seconds(12.5));
    assertTrue(withSegmentDurations(2.002, 1.0).render().contains("#EXTINF:2.00200,\nseg-0.m4s\n"));
  }

  /**
   * 6.2.2: "EXT-X-PART tags SHOULD be removed from the Playlist after they are greater than three
   * Target Durations from the end of the Playlist." The segment lines stay: players without LL-HLS
   * support still see every complete segment.
   */
  @Test
  void partsOlderThanThreeTargetDurationsAreDropped() {
    MediaPlaylist p = Fixtures.live(0, 6, 2); // 7 x 2 s complete + 1 s in progress, TD 2
    PlaylistChecker.Parsed parsed = PlaylistChecker.check(p.render());
    // from the end: 7 (1 s), 6 (3 s), 5 (5 s) start within 6 s; 4 starts 7 s from the end
    for (PlaylistChecker.Segment s : parsed.segments()) {
      assertEquals(s.msn() >= 5, !s.parts().isEmpty(), "parts of segment " + s.msn());
    }
    assertEquals(7, parsed.complete().size(), "every complete segment keeps EXTINF + URI");
    // the segment model keeps its parts for blocking-request resolution
    assertEquals(4, p.segment(0).orElseThrow().parts().size());
  }

  @Test
  void lastMsnAndLastPartIndex() {
    MediaPlaylist open = Fixtures.live(10, 14, 3);
    assertEquals(10, open.mediaSequence());
    assertEquals(14, open.lastMsn(), "the last complete segment");
    assertEquals(2, open.lastPartIndex());
    assertEquals(15, open.inProgress().orElseThrow().msn());
    MediaPlaylist closed = Fixtures.live(10, 14, 0);
    assertEquals(14, closed.lastMsn());
    assertEquals(-1, closed.lastPartIndex());
    // nothing complete yet
    MediaPlaylist first =
        MediaPlaylist.builder()
            .partTargetSeconds(0.5)
            .addSegment(inProgress(0, 1, 0.5))
            .preloadHint(new PreloadHint("part-0.1.m4s"))
            .build();
    assertEquals(-1, first.lastMsn());
    assertEquals(0, first.lastPartIndex());
  }

  /**
   * 6.2.5.2: "The Advance Part Limit is three divided by the Part Target Duration if the Part
   * Target Duration is less than one second, or three otherwise."
   */
  @Test
  void advancePartLimit() {
    assertEquals(6, Fixtures.live(0, 1, 1).advancePartLimit()); // 3 / 0.5
    assertEquals(15, withPartTarget(0.2).advancePartLimit());
    assertEquals(8, withPartTarget(0.33334).advancePartLimit()); // 3 / 0.33334 = 8.9998
    assertEquals(3, withPartTarget(1.0).advancePartLimit());
  }

  @Test
  void refusesInconsistentSegmentLists() {
    assertThrows(IllegalArgumentException.class, () -> MediaPlaylist.builder().build());
    // numbers must be consecutive
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MediaPlaylist.builder()
                .partTargetSeconds(0.5)
                .addSegment(complete(0, 4, 0.5))
                .addSegment(complete(2, 4, 0.5))
                .build());
    // only the last may be in progress
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MediaPlaylist.builder()
                .partTargetSeconds(0.5)
                .addSegment(inProgress(0, 2, 0.5))
                .addSegment(complete(1, 4, 0.5))
                .build());
    // an in-progress segment needs parts
    assertThrows(
        IllegalArgumentException.class,
        () -> SegmentRef.inProgress(0, T0, false, "init-0.mp4", List.of()));
  }

  @Test
  void refusesUrisThatWouldBreakThePlaylistSyntax() {
    assertThrows(IllegalArgumentException.class, () -> new PartRef("a\"b", 0.3, true));
    assertThrows(IllegalArgumentException.class, () -> new PartRef("a\nb", 0.3, true));
    assertThrows(IllegalArgumentException.class, () -> new PartRef("a b", 0.3, true));
    assertThrows(IllegalArgumentException.class, () -> new PartRef("", 0.3, true));
    assertThrows(IllegalArgumentException.class, () -> new PreloadHint("x\r"));
    assertThrows(IllegalArgumentException.class, () -> new PartRef("p.m4s", 0, true));
    assertThrows(IllegalArgumentException.class, () -> new PartRef("p.m4s", Double.NaN, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> SegmentRef.complete(0, "s.m4s", 2, T0, false, "in\u0085it.mp4", List.of()));
  }

  @Test
  void inProgressDurationIsTheSumOfItsParts() {
    SegmentRef s = inProgress(3, 3, 0.25);
    assertEquals(0.75, s.durationSeconds(), 1e-12);
    assertFalse(s.isComplete());
  }

  private static MediaPlaylist.Builder builderWithOneSegment() {
    return MediaPlaylist.builder()
        .addSegment(SegmentRef.complete(0, "seg-0.m4s", 2.0, T0, false, "init-0.mp4", List.of()))
        .preloadHint(new PreloadHint("part-1.0.m4s"));
  }

  private static MediaPlaylist withPartTarget(double partTarget) {
    return builderWithOneSegment().partTargetSeconds(partTarget).build();
  }

  private static MediaPlaylist withSegmentDurations(double... durations) {
    MediaPlaylist.Builder b = MediaPlaylist.builder();
    for (int i = 0; i < durations.length; i++) {
      b.addSegment(
          SegmentRef.complete(
              i, HlsNames.segment(i), durations[i], T0, false, "init-0.mp4", List.of()));
    }
    return b.preloadHint(new PreloadHint(HlsNames.part(durations.length, 0))).build();
  }
}
