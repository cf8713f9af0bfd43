package io.camflow.media.record;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The records of a stream's CMAF topic ({@code camflow.cmaf.<camera>.<stream>}, one partition),
 * written by the packager and read by delivery. One record per CMAF chunk (one access unit as
 * moof+mdat), so a part can be served while it grows and MSE viewers get one fragment per access
 * unit; init segments and the ends of parts and segments are records of their own. See
 * docs/cmaf-format.md. No Kafka dependency: headers are a map of UTF-8 values.
 */
public sealed interface CmafRecord {

  String KIND = "camflow.kind";
  String SESSION = "camflow.session";
  String SOURCE_OFFSET = "camflow.source.offset";
  String INIT = "camflow.init";
  String CODECS = "camflow.codecs";
  String WIDTH = "camflow.width";
  String HEIGHT = "camflow.height";
  String TRACK = "camflow.track";
  String DTS = "camflow.dts";
  String TIMEBASE = "camflow.timebase";
  String KEYFRAME = "camflow.keyframe";
  String MSN = "camflow.msn";
  String PART = "camflow.part";
  String DURATION_US = "camflow.duration.us";
  String INDEPENDENT = "camflow.independent";
  String PARTS = "camflow.parts";
  String DISCONTINUITY = "camflow.discontinuity";

  /**
   * On inits: the packager's part target (µs), so delivery advertises what the packager cuts to.
   */
  String PART_TARGET_US = "camflow.part.target.us";

  /** On inits: the packager's segment target (µs). */
  String SEGMENT_TARGET_US = "camflow.segment.target.us";

  /** On chunks: when ingest had the access unit complete (µs since the epoch), if it said. */
  String RECEIVED_US = MediaRecordFormat.RECEIVED_US;

  /** Source session of the access units behind this record. */
  String session();

  /** Offset in the media topic of the last access unit this record accounts for. */
  long sourceOffset();

  /** Id of the init segment in force (the media offset of the keyframe that opened it). */
  long init();

  /** The record's headers; the value is {@link #payload()}. */
  Map<String, byte[]> headers();

  /** The record value: init segment or chunk bytes; empty for part and segment ends. */
  default byte[] payload() {
    return new byte[0];
  }

  /**
   * An init segment (ftyp+moov) for a codec configuration, with the part and segment targets the
   * packager cuts this stream to ({@code 0}: not said, as in records of packagers before them).
   */
  record Init(
      String session,
      long sourceOffset,
      long init,
      String codecs,
      int width,
      int height,
      byte[] data,
      long partTargetMicros,
      long segmentTargetMicros)
      implements CmafRecord {

    /** An init that does not say the targets. */
    public Init(
        String session,
        long sourceOffset,
        long init,
        String codecs,
        int width,
        int height,
        byte[] data) {
      this(session, sourceOffset, init, codecs, width, height, data, 0, 0);
    }

    public Init {
      if (partTargetMicros < 0 || segmentTargetMicros < 0) {
        throw new IllegalArgumentException("targets cannot be negative");
      }
    }

    /** Whether the record says the packager's part and segment targets. */
    public boolean saysTargets() {
      return partTargetMicros > 0 && segmentTargetMicros > 0;
    }

    @Override
    public Map<String, byte[]> headers() {
      Map<String, byte[]> h = common(this, "init");
      put(h, CODECS, codecs);
      put(h, WIDTH, width);
      put(h, HEIGHT, height);
      if (saysTargets()) {
        put(h, PART_TARGET_US, partTargetMicros);
        put(h, SEGMENT_TARGET_US, segmentTargetMicros);
      }
      return h;
    }

    @Override
    public byte[] payload() {
      return data;
    }
  }

  /**
   * One access unit as a CMAF chunk (moof+mdat), belonging to part {@code part} of segment {@code
   * msn}; {@code track} is the fMP4 track id in the init segment (1 video, 2 audio). {@code
   * receivedMicros}: when ingest had the access unit complete (the media record's {@link
   * MediaRecordFormat#RECEIVED_US}), or {@link MediaRecordFormat#RECEIVED_UNKNOWN}; delivery
   * measures its added latency from it.
   */
  record Chunk(
      String session,
      long sourceOffset,
      long init,
      int track,
      long dts,
      int timebase,
      boolean keyframe,
      long msn,
      int part,
      byte[] data,
      long receivedMicros)
      implements CmafRecord {

    /** A chunk whose receipt time is not known. */
    public Chunk(
        String session,
        long sourceOffset,
        long init,
        int track,
        long dts,
        int timebase,
        boolean keyframe,
        long msn,
        int part,
        byte[] data) {
      this(
          session,
          sourceOffset,
          init,
          track,
          dts,
          timebase,
          keyframe,
          msn,
          part,
          data,
          MediaRecordFormat.RECEIVED_UNKNOWN);
    }

    @Override
    public Map<String, byte[]> headers() {
      Map<String, byte[]> h = common(this, "chunk");
      put(h, TRACK, track);
      put(h, DTS, dts);
      put(h, TIMEBASE, timebase);
      put(h, KEYFRAME, keyframe);
      put(h, MSN, msn);
      put(h, PART, part);
      if (receivedMicros != MediaRecordFormat.RECEIVED_UNKNOWN) {
        put(h, RECEIVED_US, receivedMicros);
      }
      return h;
    }

    @Override
    public byte[] payload() {
      return data;
    }
  }

  /** Part {@code part} of segment {@code msn} is complete: the chunks since the previous end. */
  record PartEnd(
      String session,
      long sourceOffset,
      long init,
      long msn,
      int part,
      long durationMicros,
      boolean independent)
      implements CmafRecord {
    @Override
    public Map<String, byte[]> headers() {
      Map<String, byte[]> h = common(this, "part");
      put(h, MSN, msn);
      put(h, PART, part);
      put(h, DURATION_US, durationMicros);
      put(h, INDEPENDENT, independent);
      return h;
    }
  }

  /**
   * Segment {@code msn} is complete: its parts, in order. Record timestamp = its program date time.
   */
  record SegmentEnd(
      String session,
      long sourceOffset,
      long init,
      long msn,
      long durationMicros,
      int parts,
      boolean discontinuity)
      implements CmafRecord {
    @Override
    public Map<String, byte[]> headers() {
      Map<String, byte[]> h = common(this, "segment");
      put(h, MSN, msn);
      put(h, DURATION_US, durationMicros);
      put(h, PARTS, parts);
      put(h, DISCONTINUITY, discontinuity);
      return h;
    }
  }

  /** Reads a record back; IllegalArgumentException names a missing or malformed header. */
  static CmafRecord decode(Map<String, byte[]> headers, byte[] value) {
    String kind = text(headers, KIND);
    String session = text(headers, SESSION);
    long sourceOffset = number(headers, SOURCE_OFFSET);
    long init = number(headers, INIT);
    return switch (kind) {
      case "init" ->
          new Init(
              session,
              sourceOffset,
              init,
              text(headers, CODECS),
              (int) number(headers, WIDTH),
              (int) number(headers, HEIGHT),
              value,
              optionalNumber(headers, PART_TARGET_US),
              optionalNumber(headers, SEGMENT_TARGET_US));
      case "chunk" ->
          new Chunk(
              session,
              sourceOffset,
              init,
              (int) number(headers, TRACK),
              number(headers, DTS),
              (int) number(headers, TIMEBASE),
              flag(headers, KEYFRAME),
              number(headers, MSN),
              (int) number(headers, PART),
              value,
              MediaRecordFormat.receivedMicros(headers));
      case "part" ->
          new PartEnd(
              session,
              sourceOffset,
              init,
              number(headers, MSN),
              (int) number(headers, PART),
              number(headers, DURATION_US),
              flag(headers, INDEPENDENT));
      case "segment" ->
          new SegmentEnd(
              session,
              sourceOffset,
              init,
              number(headers, MSN),
              number(headers, DURATION_US),
              (int) number(headers, PARTS),
              flag(headers, DISCONTINUITY));
      default ->
          throw new IllegalArgumentException("header " + KIND + " has unknown kind '" + kind + "'");
    };
  }

  private static Map<String, byte[]> common(CmafRecord r, String kind) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    put(h, KIND, kind);
    put(h, SESSION, r.session());
    put(h, SOURCE_OFFSET, r.sourceOffset());
    put(h, INIT, r.init());
    return h;
  }

  private static void put(Map<String, byte[]> h, String name, Object value) {
    RecordHeaders.put(h, name, value);
  }

  private static String text(Map<String, byte[]> h, String name) {
    return RecordHeaders.text(h, name, "CMAF record");
  }

  private static long number(Map<String, byte[]> h, String name) {
    return RecordHeaders.number(h, name, "CMAF record");
  }

  /** 0 when the header is absent (written before it existed). */
  private static long optionalNumber(Map<String, byte[]> h, String name) {
    return h.containsKey(name) ? number(h, name) : 0;
  }

  private static boolean flag(Map<String, byte[]> h, String name) {
    String s = text(h, name);
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException("header " + name + " is not true/false: '" + s + "'");
    };
  }
}
