package io.camflow.media.record;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CMAF segment of a stream's recording, as the stream's index topic ({@code
 * camflow.index.<camera>.<stream>}) holds it: where the segment starts in capture time (the
 * record's Kafka timestamp), how long it is, its media sequence number and source session. The
 * packager writes one right after each segment's end record. A reader finds the segment holding an
 * instant with two lookups by time and no scan: {@code offsetsForTimes(t)} on the index, then
 * {@code offsetsForTimes(start)} on the CMAF topic, where the segment's first record has the same
 * timestamp (docs/record-format.md, "Index").
 *
 * <p>Some entries also carry the init segment in force ({@link #initSegment()}, the record's
 * value): the first after a new init, the first a packager writes after it took the stream over,
 * and then one at least every {@link #INIT_CHECKPOINT_MILLIS}, so a reader finds the init of any
 * segment by reading back at most that far — even when retention has long deleted the CMAF topic's
 * own init record of a camera that has been online for weeks.
 *
 * @param session the source session of the segment's access units (a new one after a reconnect)
 * @param sourceOffset offset in the media topic of the last access unit the segment holds
 * @param init id of the init segment in force (the media offset of the keyframe that opened it)
 * @param msn the segment's media sequence number
 * @param startMillis capture wall clock of the segment's first frame (its keyframe), ms
 * @param durationMicros the segment's duration
 * @param parts how many parts it has
 * @param discontinuity whether it is the first segment after a new init
 * @param initSegment the init in force, on checkpoint entries; null on the others
 */
public record IndexEntry(
    String session,
    long sourceOffset,
    long init,
    long msn,
    long startMillis,
    long durationMicros,
    int parts,
    boolean discontinuity,
    CmafRecord.Init initSegment) {

  /**
   * Longest run of entries without an init segment: one minute, the shortest retention a camera may
   * have, so whatever retention leaves of a recording has an init within a minute of each segment
   * (about 1 kB a minute).
   */
  public static final long INIT_CHECKPOINT_MILLIS = 60 * 1000;

  static final String KIND_VALUE = "index";

  /** The entry of a segment that just ended; {@code init} is null or the init in force. */
  public static IndexEntry of(
      CmafRecord.SegmentEnd end, long startMillis, CmafRecord.Init initSegment) {
    if (initSegment != null && initSegment.init() != end.init()) {
      throw new IllegalArgumentException(
          "init " + initSegment.init() + " is not the one in force (" + end.init() + ")");
    }
    return new IndexEntry(
        end.session(),
        end.sourceOffset(),
        end.init(),
        end.msn(),
        startMillis,
        end.durationMicros(),
        end.parts(),
        end.discontinuity(),
        initSegment);
  }

  /** Capture wall clock just after the segment's last frame, ms. */
  public long endMillis() {
    return startMillis + durationMicros / 1000;
  }

  /** The record's headers (UTF-8 text, as the CMAF topic's). */
  public Map<String, byte[]> headers() {
    Map<String, byte[]> h = new LinkedHashMap<>();
    put(h, CmafRecord.KIND, KIND_VALUE);
    put(h, CmafRecord.SESSION, session);
    put(h, CmafRecord.SOURCE_OFFSET, sourceOffset);
    put(h, CmafRecord.INIT, init);
    put(h, CmafRecord.MSN, msn);
    put(h, CmafRecord.DURATION_US, durationMicros);
    put(h, CmafRecord.PARTS, parts);
    put(h, CmafRecord.DISCONTINUITY, discontinuity);
    if (initSegment != null) {
      put(h, CmafRecord.CODECS, initSegment.codecs());
      put(h, CmafRecord.WIDTH, initSegment.width());
      put(h, CmafRecord.HEIGHT, initSegment.height());
      put(h, CmafRecord.PART_TARGET_US, initSegment.partTargetMicros());
      put(h, CmafRecord.SEGMENT_TARGET_US, initSegment.segmentTargetMicros());
    }
    return h;
  }

  /** The record value: the init segment's bytes on checkpoint entries, else empty. */
  public byte[] payload() {
    return initSegment == null ? new byte[0] : initSegment.data();
  }

  /**
   * Reads an entry back.
   *
   * @param timestampMillis the record's Kafka timestamp
   * @throws IllegalArgumentException naming a missing or malformed header
   */
  public static IndexEntry decode(Map<String, byte[]> headers, byte[] value, long timestampMillis) {
    CmafRecord r = CmafRecord.decode(withKind(headers, "segment"), new byte[0]);
    String kind = new String(headers.get(CmafRecord.KIND), StandardCharsets.UTF_8);
    if (!KIND_VALUE.equals(kind)) {
      throw new IllegalArgumentException("not an index entry: kind '" + kind + "'");
    }
    CmafRecord.SegmentEnd end = (CmafRecord.SegmentEnd) r;
    CmafRecord.Init init = null;
    if (value != null && value.length > 0) {
      init = (CmafRecord.Init) CmafRecord.decode(withKind(headers, "init"), value);
    }
    return of(end, timestampMillis, init);
  }

  private static Map<String, byte[]> withKind(Map<String, byte[]> headers, String kind) {
    if (!headers.containsKey(CmafRecord.KIND)) {
      throw new IllegalArgumentException("index entry lacks header " + CmafRecord.KIND);
    }
    Map<String, byte[]> h = new LinkedHashMap<>(headers);
    h.put(CmafRecord.KIND, kind.getBytes(StandardCharsets.UTF_8));
    return h;
  }

  private static void put(Map<String, byte[]> h, String name, Object value) {
    RecordHeaders.put(h, name, value);
  }

  @Override
  public String toString() {
    return "IndexEntry[msn "
        + msn
        + ", "
        + startMillis
        + " ms + "
        + durationMicros
        + " us, session "
        + session
        + (discontinuity ? ", discontinuity" : "")
        + (initSegment == null ? "" : ", with init " + init)
        + "]";
  }
}
