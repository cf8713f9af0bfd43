package io.camflow.packager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.record.CmafRecord;
import io.camflow.testsupport.EncodedStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamPackagerTest {

  static List<AccessUnit> units;
  static List<AccessUnit> bigger;

  @BeforeAll
  static void encode() throws Exception {
    units = EncodedStream.h264(6, 25, 320, 240); // 150 frames, a keyframe every second
    bigger = EncodedStream.h264(2, 25, 640, 360);
  }

  static List<StreamPackager.Input> inputs(List<AccessUnit> aus, String session, long firstOffset) {
    List<StreamPackager.Input> in = new ArrayList<>();
    for (int i = 0; i < aus.size(); i++) {
      in.add(new StreamPackager.Input(firstOffset + i, aus.get(i), session, 1_000_000 + i * 40L));
    }
    return in;
  }

  static List<StreamPackager.Output> run(StreamPackager p, List<StreamPackager.Input> in) {
    List<StreamPackager.Output> out = new ArrayList<>();
    in.forEach(i -> out.addAll(p.accept(i)));
    return out;
  }

  static <T extends CmafRecord> List<T> only(List<StreamPackager.Output> out, Class<T> kind) {
    return out.stream()
        .map(StreamPackager.Output::record)
        .filter(kind::isInstance)
        .map(kind::cast)
        .toList();
  }

  @Test
  void eachChunkCarriesIngestsReceiptTimeOfItsAccessUnit() {
    List<StreamPackager.Input> in = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      in.add(
          new StreamPackager.Input(
              i, units.get(i), "s1", 1_000_000 + i * 40L, 7_000_000_000L + i * 40_123L));
    }
    List<CmafRecord.Chunk> chunks =
        only(run(new StreamPackager(PackagerSettings.DEFAULTS), in), CmafRecord.Chunk.class);
    assertEquals(30, chunks.size());
    for (CmafRecord.Chunk c : chunks) {
      assertEquals(
          7_000_000_000L + c.sourceOffset() * 40_123L,
          c.receivedMicros(),
          "chunk of media offset " + c.sourceOffset());
    }
  }

  @Test
  void cutsSegmentsOnKeyframesAndPartsWithinTheTarget() {
    List<StreamPackager.Output> out =
        run(new StreamPackager(PackagerSettings.DEFAULTS), inputs(units, "s1", 0));
    assertTrue(out.get(0).record() instanceof CmafRecord.Init);
    List<CmafRecord.SegmentEnd> segments = only(out, CmafRecord.SegmentEnd.class);
    assertEquals(2, segments.size(), "6 s of a 2 s target: two closed, the third still open");
    assertEquals(List.of(0L, 1L), segments.stream().map(CmafRecord.SegmentEnd::msn).toList());
    segments.forEach(s -> assertEquals(2_000_000, s.durationMicros()));
    for (CmafRecord.PartEnd part : only(out, CmafRecord.PartEnd.class)) {
      assertTrue(part.durationMicros() <= 333_340, "parts never exceed the part target: " + part);
    }
    assertEquals(
        units.size(), only(out, CmafRecord.Chunk.class).size(), "one chunk per access unit");
    assertEquals(1_000_000, out.get(0).timestampMillis(), "timestamps are capture times");
  }

  /** Delivery advertises what the packager cuts to: the targets travel on every init. */
  @Test
  void initsSayThePartAndSegmentTargets() {
    PackagerSettings settings =
        new PackagerSettings(java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(4));
    List<CmafRecord.Init> inits =
        only(
            run(new StreamPackager(settings), inputs(units.subList(0, 30), "s1", 0)),
            CmafRecord.Init.class);
    assertEquals(1, inits.size());
    assertEquals(500_000, inits.get(0).partTargetMicros());
    assertEquals(4_000_000, inits.get(0).segmentTargetMicros());
  }

  @Test
  void aNewSessionClosesTheSegmentWithANewInitAndADiscontinuity() {
    StreamPackager p = new StreamPackager(PackagerSettings.DEFAULTS);
    List<StreamPackager.Output> out =
        new ArrayList<>(run(p, inputs(units.subList(0, 60), "s1", 0)));
    out.addAll(run(p, inputs(units.subList(0, 60), "s2", 60)));
    List<CmafRecord.Init> inits = only(out, CmafRecord.Init.class);
    assertEquals(2, inits.size());
    assertEquals(60, inits.get(1).init(), "init ids are media offsets");
    List<CmafRecord.SegmentEnd> ends =
        only(out, CmafRecord.SegmentEnd.class).stream()
            .filter(e -> e.session().equals("s1"))
            .toList();
    CmafRecord.SegmentEnd cut = ends.get(ends.size() - 1);
    assertEquals(1, cut.msn(), "segment 0 closed on time, segment 1 by the session change");
    assertEquals(
        400_000, cut.durationMicros(), "the open segment ends after its last frame (10 frames)");
    List<CmafRecord.SegmentEnd> s2 =
        only(out, CmafRecord.SegmentEnd.class).stream()
            .filter(e -> e.session().equals("s2"))
            .toList();
    assertTrue(
        s2.get(0).discontinuity(), "the first segment of the new session is a discontinuity");
    assertEquals(2, s2.get(0).msn(), "media sequence numbers go on across sessions");
  }

  @Test
  void aResolutionChangeMakesANewInit() {
    StreamPackager p = new StreamPackager(PackagerSettings.DEFAULTS);
    List<StreamPackager.Output> out =
        new ArrayList<>(run(p, inputs(units.subList(0, 50), "s1", 0)));
    List<StreamPackager.Input> bigIn = new ArrayList<>();
    for (int i = 0; i < bigger.size(); i++) {
      AccessUnit b = bigger.get(i);
      long pts = (50 + i) * EncodedStream.FRAME_TICKS;
      bigIn.add(
          new StreamPackager.Input(
              50 + i,
              new AccessUnit(
                  0, b.codec(), pts, pts, 90_000, b.keyframe(), b.data(), b.codecConfig()),
              "s1",
              3_000_000 + i * 40L));
    }
    out.addAll(run(p, bigIn));
    List<CmafRecord.Init> inits = only(out, CmafRecord.Init.class);
    assertEquals(List.of(320, 640), inits.stream().map(CmafRecord.Init::width).toList());
  }

  @Test
  void restoringFromAnyPrefixOfItsOutputContinuesExactlyAsIfNothingHappened() {
    List<StreamPackager.Input> in = inputs(units, "s1", 100);
    List<StreamPackager.Output> uninterrupted =
        run(new StreamPackager(PackagerSettings.DEFAULTS), in);
    for (int killedAfter : new int[] {1, 7, 24, 25, 26, 49, 50, 51, 77, 120}) {
      StreamPackager first = new StreamPackager(PackagerSettings.DEFAULTS);
      List<StreamPackager.Output> written = run(first, in.subList(0, killedAfter));

      StreamPackager second = new StreamPackager(PackagerSettings.DEFAULTS);
      second.restore(tail(written), offset -> units.get((int) (offset - 100)));
      // the consumer resumes from an older committed offset: redelivered records are skipped
      List<StreamPackager.Output> all = new ArrayList<>(written);
      all.addAll(run(second, in.subList(Math.max(0, killedAfter - 5), in.size())));

      assertEquals(
          uninterrupted.size(),
          all.size(),
          "same number of records after a kill at " + killedAfter);
      for (int i = 0; i < all.size(); i++) {
        CmafRecord a = uninterrupted.get(i).record();
        CmafRecord b = all.get(i).record();
        assertEquals(a.getClass(), b.getClass(), "record " + i + " after a kill at " + killedAfter);
        assertEquals(a.headers().keySet(), b.headers().keySet());
        for (var h : a.headers().entrySet()) {
          assertArrayEquals(
              h.getValue(),
              b.headers().get(h.getKey()),
              h.getKey() + " of record " + i + " after a kill at " + killedAfter);
        }
        assertArrayEquals(
            a.payload(), b.payload(), "bytes of record " + i + " after a kill at " + killedAfter);
        assertEquals(uninterrupted.get(i).timestampMillis(), all.get(i).timestampMillis());
      }
    }
  }

  /**
   * A packager is killed between any two records it sends (a part's end and the chunk that caused
   * it go out one after the other), not only between access units: its successor still writes
   * exactly what an uninterrupted packager writes — no part ended twice, no segment longer or
   * shorter than its parts.
   */
  @Test
  void restoringFromAnyRecordOfItsOutputContinuesExactlyAsIfNothingHappened() {
    List<StreamPackager.Input> in = inputs(units, "s1", 100);
    List<StreamPackager.Output> uninterrupted =
        run(new StreamPackager(PackagerSettings.DEFAULTS), in);
    for (int killedAfter = 1; killedAfter < uninterrupted.size(); killedAfter++) {
      List<StreamPackager.Output> written = uninterrupted.subList(0, killedAfter);
      long lastSource =
          written.stream().mapToLong(o -> o.record().sourceOffset()).max().orElse(100);
      StreamPackager second = new StreamPackager(PackagerSettings.DEFAULTS);
      second.restore(tail(written), offset -> units.get((int) (offset - 100)));
      List<StreamPackager.Output> all = new ArrayList<>(written);
      int resumeAt = (int) Math.max(0, lastSource - 100 - 5); // an older committed offset
      all.addAll(run(second, in.subList(resumeAt, in.size())));
      assertEquals(
          uninterrupted.size(),
          all.size(),
          "same number of records after a kill after record " + killedAfter);
      for (int i = 0; i < all.size(); i++) {
        CmafRecord a = uninterrupted.get(i).record();
        CmafRecord b = all.get(i).record();
        assertEquals(a.getClass(), b.getClass(), "record " + i + ", killed after " + killedAfter);
        for (var h : a.headers().entrySet()) {
          assertArrayEquals(
              h.getValue(),
              b.headers().get(h.getKey()),
              h.getKey() + " of record " + i + ", killed after record " + killedAfter);
        }
        assertArrayEquals(
            a.payload(), b.payload(), "record " + i + ", killed after " + killedAfter);
      }
    }
  }

  @Test
  void garbageFromTheCameraNeverStopsThePackager() {
    java.util.Random random = new java.util.Random(42);
    StreamPackager p = new StreamPackager(PackagerSettings.DEFAULTS);
    List<StreamPackager.Output> out = new ArrayList<>();
    long offset = 0;
    for (int round = 0; round < 400; round++) {
      AccessUnit good = units.get(round % units.size());
      long pts = round * EncodedStream.FRAME_TICKS;
      AccessUnit au;
      if (random.nextInt(4) == 0) { // a quarter of the access units are garbage of every kind
        byte[] data = new byte[random.nextInt(64)];
        random.nextBytes(data);
        if (data.length > 4 && random.nextBoolean()) {
          data[0] = 0;
          data[1] = 0;
          data[2] = 0;
          data[3] = 1; // a start code before the noise
        }
        byte[] config = random.nextBoolean() ? null : new byte[random.nextInt(40)];
        if (config != null) {
          random.nextBytes(config);
        }
        au = new AccessUnit(0, good.codec(), pts, pts, 90_000, random.nextBoolean(), data, config);
      } else {
        au =
            new AccessUnit(
                0,
                good.codec(),
                pts,
                pts,
                90_000,
                good.keyframe(),
                good.data(),
                good.codecConfig());
      }
      out.addAll(p.accept(new StreamPackager.Input(offset++, au, "s1", 1_000_000 + round * 40L)));
    }
    assertTrue(only(out, CmafRecord.SegmentEnd.class).size() >= 3, "segments keep coming");
    assertTrue(
        only(out, CmafRecord.Chunk.class).size() >= 250, "good access units keep being packaged");
  }

  /** What KafkaLookup.cmafTail returns: from the last segment end on, or everything. */
  static List<StreamPackager.Output> tail(List<StreamPackager.Output> written) {
    for (int i = written.size() - 1; i >= 0; i--) {
      if (written.get(i).record() instanceof CmafRecord.SegmentEnd) {
        return written.subList(i, written.size());
      }
    }
    return written;
  }
}
