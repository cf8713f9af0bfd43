package io.camflow.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which streams the scale benchmark counts as misses rather than figures. */
class ScaleBenchmarkTest {

  private static final List<String> STREAMS = List.of("a.main", "b.main", "c.main", "d.main");
  private static final StreamProgress BEFORE =
      new StreamProgress(
          Map.of("a.main", 100L, "b.main", 100L, "c.main", 100L, "d.main", 100L),
          Map.of("a.main", 200L, "b.main", 200L, "c.main", 200L, "d.main", 200L),
          Map.of("a.main", 95L, "b.main", 95L, "c.main", 95L, "d.main", 95L));

  @Test
  void streamsAtFrameRateAndPackagedInTimeAreNoMiss() {
    // 10 s at 25 fps: 250 access units, a few more CMAF records (parts, segments), packager 3
    // behind
    StreamProgress after = progress(350, 485, 347);
    assertEquals(List.of(), ScaleBenchmark.missed(STREAMS, BEFORE, after, 10.0));
  }

  @Test
  void shortMediaShortCmafOrAPackagerFarBehindAreMisses() {
    StreamProgress after =
        new StreamProgress(
            Map.of("a.main", 350L, "b.main", 300L, "c.main", 350L, "d.main", 350L),
            Map.of("a.main", 485L, "b.main", 440L, "c.main", 300L, "d.main", 485L),
            Map.of("a.main", 347L, "b.main", 297L, "c.main", 347L, "d.main", 250L));
    List<String> missed = ScaleBenchmark.missed(STREAMS, BEFORE, after, 10.0);
    assertEquals(3, missed.size(), missed.toString());
    assertTrue(
        missed.get(0).startsWith("b.main (media 200,"), missed.get(0)); // ingest short of 25 fps
    assertTrue(
        missed.get(1).startsWith("c.main (media 250, cmaf 100"), missed.get(1)); // packager short
    assertTrue(
        missed.get(2).startsWith("d.main") && missed.get(2).contains("100 behind"), missed.get(2));
  }

  private static StreamProgress progress(long media, long cmaf, long packaged) {
    return new StreamProgress(
        Map.of("a.main", media, "b.main", media, "c.main", media, "d.main", media),
        Map.of("a.main", cmaf, "b.main", cmaf, "c.main", cmaf, "d.main", cmaf),
        Map.of("a.main", packaged, "b.main", packaged, "c.main", packaged, "d.main", packaged));
  }
}
