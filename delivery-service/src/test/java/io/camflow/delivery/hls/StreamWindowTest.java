package io.camflow.delivery.hls;

import static io.camflow.delivery.hls.SyntheticCmaf.INIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.hls.MediaPlaylist;
import io.camflow.media.hls.PlaylistWindow;
import io.camflow.media.record.CmafRecord;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamWindowTest {

  final StreamWindow window = new StreamWindow(new PlaylistWindow());

  static String text(List<byte[]> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    chunks.forEach(out::writeBytes);
    return out.toString();
  }

  @Test
  void noPlaylistBeforeTheFirstPart() {
    assertNull(window.playlist());
    assertTrue(window.accept(SyntheticCmaf.init(INIT).record(), 0), "an init is news");
    assertNull(window.playlist());
    assertArrayEquals("init1000".getBytes(), window.init(INIT));
    assertNull(window.init(7));
  }

  /** PART-TARGET and the initial TARGETDURATION are the packager's, from its init record. */
  @Test
  void thePlaylistAdvertisesThePackagersTargets() {
    window.accept(
        new CmafRecord.Init(
            "s", INIT, INIT, "avc1.42c01e", 320, 240, "i".getBytes(), 500_000, 4_000_000),
        SyntheticCmaf.START_MILLIS);
    SyntheticCmaf.feed(window, SyntheticCmaf.part(0, 0, false, 6));
    String playlist = window.playlist().render();
    assertTrue(playlist.contains("PART-TARGET=0.50000"), playlist);
    assertTrue(playlist.contains("#EXT-X-TARGETDURATION:4"), playlist);
  }

  @Test
  void partsAndSegmentsAreTheirChunksInOrder() {
    SyntheticCmaf.feed(window, List.of(SyntheticCmaf.init(INIT)));
    SyntheticCmaf.feed(window, SyntheticCmaf.part(0, 0, false, 6));
    assertEquals("0.0.0;0.0.1;0.0.2;", text(window.part(0, 0)));
    assertNull(window.part(0, 1), "part 1 has not ended");
    assertNull(window.segment(0), "segment 0 has not ended");
    assertTrue(window.isHinted(0, 1));
    assertFalse(window.isHinted(0, 2));

    SyntheticCmaf.feed(window, SyntheticCmaf.segment(0, 6).subList(4, 25));
    assertEquals(
        "0.0.0;0.0.1;0.0.2;0.1.0;0.1.1;0.1.2;0.2.0;0.2.1;0.2.2;0.3.0;0.3.1;0.3.2;"
            + "0.4.0;0.4.1;0.4.2;0.5.0;0.5.1;0.5.2;",
        text(window.segment(0)));
    assertTrue(window.isHinted(1, 0), "after a segment, part 0 of the next is hinted");
    String playlist = window.playlist().render();
    assertTrue(playlist.contains("#EXT-X-MAP:URI=\"init-1000.mp4\""), playlist);
    assertTrue(
        playlist.contains("#EXT-X-PART:DURATION=0.32000,URI=\"part-0.0.m4s\",INDEPENDENT=YES"),
        playlist);
    assertTrue(playlist.contains("seg-0.m4s"), playlist);
    assertTrue(playlist.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part-1.0.m4s\""), playlist);
    assertTrue(playlist.contains("#EXT-X-PROGRAM-DATE-TIME:2025-10-09T08:53:20.000Z"), playlist);
  }

  @Test
  void chunksAreSharedNotCopied() {
    SyntheticCmaf.feed(window, List.of(SyntheticCmaf.init(INIT)));
    List<SyntheticCmaf.Timed> records = SyntheticCmaf.segment(0, 2);
    SyntheticCmaf.feed(window, records);
    byte[] first = ((CmafRecord.Chunk) records.get(0).record()).data();
    assertSame(first, window.part(0, 0).get(0));
    assertSame(first, window.segment(0).get(0));
  }

  @Test
  void onlyTheLastSegmentsStayInMemory() {
    SyntheticCmaf.feed(window, List.of(SyntheticCmaf.init(INIT)));
    for (int m = 0; m < 30; m++) {
      SyntheticCmaf.feed(window, SyntheticCmaf.segment(m, 6));
    }
    MediaPlaylist p = window.playlist();
    assertEquals(29, p.lastMsn());
    assertEquals(PlaylistWindow.DEFAULT_MAX_SEGMENTS, p.segments().size());
    assertEquals(
        PlaylistWindow.DEFAULT_MAX_SEGMENTS + StreamWindow.KEEP_BEHIND, window.segmentsHeld());
    assertNull(window.segment(p.mediaSequence() - StreamWindow.KEEP_BEHIND - 1));
    assertTrue(
        window.segment(p.mediaSequence() - 1) != null,
        "recently removed segments stay downloadable");
    assertEquals(java.util.Set.of(INIT), window.initsHeld());
  }

  @Test
  void aWindowJoinedMidSegmentStartsAtTheNextSegment() {
    SyntheticCmaf.feed(window, List.of(SyntheticCmaf.init(INIT)));
    SyntheticCmaf.feed(
        window, SyntheticCmaf.segment(4, 6).subList(8, 25)); // parts 2.. of segment 4
    assertNull(window.playlist());
    assertNull(window.part(4, 2));
    SyntheticCmaf.feed(window, SyntheticCmaf.part(5, 0, false, 6));
    assertEquals(5, window.playlist().mediaSequence());
    assertEquals("5.0.0;5.0.1;5.0.2;", text(window.part(5, 0)));
  }

  @Test
  void duplicatesAreIgnored() {
    SyntheticCmaf.feed(window, List.of(SyntheticCmaf.init(INIT)));
    SyntheticCmaf.feed(window, SyntheticCmaf.segment(0, 2));
    long version = window.playlist().segments().size();
    SyntheticCmaf.feed(window, SyntheticCmaf.segment(0, 2));
    assertEquals(version, window.playlist().segments().size());
    assertEquals("0.0.0;0.0.1;0.0.2;0.1.0;0.1.1;0.1.2;", text(window.segment(0)));
  }
}
