package io.camflow.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HlsNamesTest {

  @Test
  void formatsTheNames() {
    assertEquals("index.m3u8", HlsNames.playlist());
    assertEquals("init-0.mp4", HlsNames.init(0));
    assertEquals("init-42.mp4", HlsNames.init(42));
    assertEquals("seg-120.m4s", HlsNames.segment(120));
    assertEquals("part-120.3.m4s", HlsNames.part(120, 3));
    assertEquals("seg-1000000000000.m4s", HlsNames.segment(HlsNames.MAX_NUMBER));
    assertThrows(IllegalArgumentException.class, () -> HlsNames.segment(-1));
    assertThrows(IllegalArgumentException.class, () -> HlsNames.segment(HlsNames.MAX_NUMBER + 1));
    assertThrows(IllegalArgumentException.class, () -> HlsNames.part(1, -1));
    assertThrows(IllegalArgumentException.class, () -> HlsNames.part(1, 10_000));
    assertThrows(IllegalArgumentException.class, () -> HlsNames.init(-5));
  }

  @Test
  void parsesWhatItFormats() {
    assertEquals(Optional.of(HlsResource.PLAYLIST), HlsNames.parse("index.m3u8"));
    assertEquals(Optional.of(new HlsResource.Init(0)), HlsNames.parse("init-0.mp4"));
    assertEquals(Optional.of(new HlsResource.Init(7)), HlsNames.parse("init-7.mp4"));
    assertEquals(Optional.of(new HlsResource.Segment(0)), HlsNames.parse("seg-0.m4s"));
    assertEquals(Optional.of(new HlsResource.Segment(120)), HlsNames.parse("seg-120.m4s"));
    assertEquals(Optional.of(new HlsResource.Part(120, 0)), HlsNames.parse("part-120.0.m4s"));
    assertEquals(Optional.of(new HlsResource.Part(120, 12)), HlsNames.parse("part-120.12.m4s"));
    assertEquals(
        Optional.of(new HlsResource.Segment(HlsNames.MAX_NUMBER)),
        HlsNames.parse("seg-1000000000000.m4s"));
    assertEquals(
        Optional.of(new HlsResource.Part(HlsNames.MAX_NUMBER, HlsNames.MAX_PART_INDEX)),
        HlsNames.parse("part-1000000000000.9999.m4s"));
  }

  @Test
  void roundTripsRandomResources() {
    SplittableRandom random = new SplittableRandom(8216);
    for (int i = 0; i < 10_000; i++) {
      long n = random.nextLong(HlsNames.MAX_NUMBER + 1);
      int index = random.nextInt(HlsNames.MAX_PART_INDEX + 1);
      for (HlsResource r :
          new HlsResource[] {
            new HlsResource.Init(n),
            new HlsResource.Segment(n),
            new HlsResource.Part(n, index),
            HlsResource.PLAYLIST
          }) {
        assertEquals(Optional.of(r), HlsNames.parse(r.name()), r.name());
      }
    }
  }

  @Test
  void contentTypes() {
    assertEquals("application/vnd.apple.mpegurl", HlsResource.PLAYLIST.contentType());
    assertEquals("video/mp4", new HlsResource.Init(1).contentType());
    assertEquals("video/mp4", new HlsResource.Part(1, 1).contentType());
  }

  /** Traversal, encodings, case, leading zeros, signs, extra dots, absurd numbers, junk. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "../index.m3u8",
        "..%2Findex.m3u8",
        "%2e%2e",
        "seg-1.m4s/..",
        "seg-..m4s",
        "seg-1%2F.m4s",
        "seg-%31.m4s",
        "seg-1.m4s%00",
        "seg-1.m4s\u0000",
        "index.m3u8/",
        "/index.m3u8",
        "index.m3u8?x",
        "INDEX.M3U8",
        "Index.m3u8",
        "index.M3U8",
        "index.m3u",
        "SEG-1.m4s",
        "seg-1.M4S",
        "Part-1.0.m4s",
        "INIT-0.mp4",
        "seg-01.m4s",
        "seg-00.m4s",
        "part-01.0.m4s",
        "part-1.00.m4s",
        "part-1.01.m4s",
        "init-00.mp4",
        "seg--1.m4s",
        "seg-+1.m4s",
        "seg- 1.m4s",
        "seg-1 .m4s",
        "seg-1.m4s ",
        "seg-.m4s",
        "part-.0.m4s",
        "part-1..m4s",
        "part-1.m4s",
        "part-1.2.3.m4s",
        "seg-1.2.m4s",
        "seg-1.m4s.m4s",
        "part-1.0.0.m4s",
        "init-1.2.mp4",
        "init-1.m4s",
        "seg-1.mp4",
        "part-1.0.mp4",
        "init-.mp4",
        "seg-1000000000001.m4s",
        "seg-9999999999999.m4s",
        "seg-99999999999999999999.m4s",
        "part-1.10000.m4s",
        "part-1000000000001.0.m4s",
        "init-1000000000001.mp4",
        "seg-1e3.m4s",
        "seg-0x1.m4s",
        "seg-١.m4s",
        "seg-1.m4s\n",
        "seg-1.m4s\\",
        "..\\seg-1.m4s",
        "seg-1.ts",
        "index.m3u8.m3u8",
        "init.mp4",
        "seg.m4s",
        "segment-1.m4s",
        "part-1-0.m4s",
        "part_1.0.m4s",
        "seg-1.m4s;x",
        "seg-1;.m4s"
      })
  void refuses(String name) {
    assertEquals(Optional.empty(), HlsNames.parse(name), name);
  }

  @Test
  void refusesNullAndVeryLongNames() {
    assertEquals(Optional.empty(), HlsNames.parse(null));
    assertEquals(Optional.empty(), HlsNames.parse("seg-" + "1".repeat(10_000) + ".m4s"));
    assertTrue(HlsNames.parse("part-1000000000000.9999.m4s").isPresent());
  }
}
