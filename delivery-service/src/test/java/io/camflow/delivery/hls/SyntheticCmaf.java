package io.camflow.delivery.hls;

import io.camflow.media.record.CmafRecord;
import java.util.ArrayList;
import java.util.List;

/** CMAF records with recognisable fake payloads: chunk k of part p of segment m is "m.p.k;". */
public final class SyntheticCmaf {

  public static final long INIT = 1000;
  public static final long START_MILLIS = 1_760_000_000_000L;

  public record Timed(CmafRecord record, long timestampMillis) {}

  private SyntheticCmaf() {}

  public static Timed init(long id) {
    return new Timed(
        new CmafRecord.Init("s", id, id, "avc1.42c01e", 320, 240, ("init" + id).getBytes()),
        START_MILLIS);
  }

  public static byte[] chunkData(long msn, int part, int k) {
    return (msn + "." + part + "." + k + ";").getBytes();
  }

  /** The chunks (3 per part) and the end of part {@code part} of segment {@code msn}. */
  public static List<Timed> part(long msn, int part, boolean last, int partsInSegment) {
    List<Timed> out = new ArrayList<>();
    long t = START_MILLIS + msn * 2000 + part * 320L;
    for (int k = 0; k < 3; k++) {
      out.add(
          new Timed(
              new CmafRecord.Chunk(
                  "s",
                  0,
                  INIT,
                  1,
                  0,
                  90_000,
                  part == 0 && k == 0,
                  msn,
                  part,
                  chunkData(msn, part, k)),
              t + k * 40));
    }
    out.add(
        new Timed(new CmafRecord.PartEnd("s", 0, INIT, msn, part, 320_000, part == 0), t + 320));
    if (last) {
      out.add(
          new Timed(
              new CmafRecord.SegmentEnd(
                  "s", 0, INIT, msn, 320_000L * partsInSegment, partsInSegment, msn == 0),
              START_MILLIS + msn * 2000));
    }
    return out;
  }

  /** A whole segment of {@code parts} parts. */
  public static List<Timed> segment(long msn, int parts) {
    List<Timed> out = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      out.addAll(part(msn, p, p == parts - 1, parts));
    }
    return out;
  }

  public static void feed(StreamWindow window, List<Timed> records) {
    for (Timed t : records) {
      window.accept(t.record(), t.timestampMillis());
    }
  }
}
