package io.camflow.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.au.AccessUnitAssembler;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The built-in camera: real FFmpeg (bytedeco) filter graph and libopenh264 encoder, paced live. */
class SyntheticSourceTest {

  @Test
  void producesLiveH264WithTheRequestedFormatAndGop() throws Exception {
    try (SyntheticSource source =
        new SyntheticSource(URI.create("synthetic:testsrc2?size=320x240&rate=25&gop=5"))) {
      List<Track> tracks = source.open();
      assertEquals(List.of(Codec.H264), tracks.stream().map(Track::codec).toList());
      AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
      List<AccessUnit> units = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 25; i++) {
        SourcePacket p = source.read();
        assembler.assemble(p.data(), p.pts(), p.dts()).ifPresent(units::add);
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(
          elapsedMs >= 850,
          "paced like a live camera: 25 frames at 25 fps took " + elapsedMs + " ms");
      assertEquals(25, units.size());
      for (int i = 0; i < units.size(); i++) {
        assertEquals(i % 5 == 0, units.get(i).keyframe(), "keyframe every 5 frames, frame " + i);
        assertEquals(i * 3600L, units.get(i).pts());
      }
      VideoFormat format = assembler.format().orElseThrow();
      assertEquals(320, format.width());
      assertEquals(240, format.height());
    }
  }

  @Test
  void interruptStopsABlockedRead() throws Exception {
    try (SyntheticSource source =
        new SyntheticSource(URI.create("synthetic:testsrc?size=160x120&rate=1"))) {
      source.open();
      source.read(); // the first frame is due at once, the next one a second later
      CompletableFuture<Throwable> blocked =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  source.read();
                  return null;
                } catch (SourceException e) {
                  return e;
                }
              });
      Thread.sleep(100);
      source.interrupt();
      assertTrue(blocked.get(500, TimeUnit.MILLISECONDS) instanceof SourceClosedException);
    }
  }

  @Test
  void rejectsBadOptionsClearly() {
    IllegalArgumentException pattern =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SyntheticSource(URI.create("synthetic:nosuchpattern")));
    assertTrue(pattern.getMessage().contains("nosuchpattern"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SyntheticSource(URI.create("synthetic:testsrc?size=7x5")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SyntheticSource(URI.create("synthetic:testsrc?rate=0")));
  }
}
