package io.camflow.media.fmp4;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Reads back the samples of fragmented-MP4 media data: boxes holding one or more {@code moof} +
 * {@code mdat} pairs, as {@link Fragment} writes them and a recorded CMAF segment concatenates
 * them. Every other top-level box ({@code styp}, {@code sidx}, {@code prft}, {@code emsg}, {@code
 * free}, an init segment's {@code ftyp} and {@code moov}) is skipped. Only positions are returned:
 * the sample bytes stay in the caller's array.
 *
 * <pre>{@code
 * for (FragmentReader.SampleRef s : FragmentReader.read(segment)) {
 *   out.write(segment, s.dataOffset(), s.size());
 * }
 * }</pre>
 *
 * <p>Fields follow ISO/IEC 14496-12 8.8, with three choices of this reader:
 *
 * <ul>
 *   <li>With no init segment there is no {@code trex}: a sample duration or size that neither the
 *       {@code trun} nor the {@code tfhd} gives is an error; absent sample flags are 0 (sync).
 *   <li>A {@code tfhd} with neither base-data-offset-present nor default-base-is-moof counts data
 *       offsets from the start of the {@code moof}, as default-base-is-moof does. The spec says so
 *       only for the first {@code traf} of a {@code moof}; later ones would start where the
 *       previous track's data ended. {@link Fragment} and CMAF writers set default-base-is-moof,
 *       and FFmpeg without it writes an explicit base, so no writer camflow meets relies on that.
 *   <li>Composition offsets of {@code trun} version 0 are unsigned: one of 2^31 or more, a negative
 *       offset written with the wrong version, is an error rather than a pts hours late.
 * </ul>
 *
 * <p>Malformed input fails with an {@link IllegalArgumentException}: every field is read within its
 * box, every sample must lie inside the {@code mdat} after its {@code moof}, and no more samples
 * are accepted than the input has bytes.
 */
public final class FragmentReader {

  private static final int TFHD_BASE_DATA_OFFSET = 0x000001;
  private static final int TFHD_SAMPLE_DESCRIPTION_INDEX = 0x000002;
  private static final int TFHD_DEFAULT_SAMPLE_DURATION = 0x000008;
  private static final int TFHD_DEFAULT_SAMPLE_SIZE = 0x000010;
  private static final int TFHD_DEFAULT_SAMPLE_FLAGS = 0x000020;

  private static final int TRUN_DATA_OFFSET = 0x000001;
  private static final int TRUN_FIRST_SAMPLE_FLAGS = 0x000004;
  private static final int TRUN_SAMPLE_DURATION = 0x000100;
  private static final int TRUN_SAMPLE_SIZE = 0x000200;
  private static final int TRUN_SAMPLE_FLAGS = 0x000400;
  private static final int TRUN_SAMPLE_COMPOSITION_OFFSET = 0x000800;

  /** An optional 32-bit field that is not there (present values are 0 to 2^32 - 1). */
  private static final long ABSENT = -1;

  private final byte[] data;
  private final int offset;
  private final int length;
  private final List<SampleRef> samples = new ArrayList<>();

  private FragmentReader(byte[] data, int offset, int length) {
    this.data = data;
    this.offset = offset;
    this.length = length;
  }

  /**
   * One sample as a fragment describes it. Times are in the track's timescale (the init segment's
   * {@code mdhd}).
   *
   * @param trackId the {@code tfhd} track_ID
   * @param decodeTime dts: the {@code tfdt} time plus the durations of the track's earlier samples
   *     in the same {@code traf}
   * @param duration decode duration, {@code >= 0}
   * @param size bytes of sample data, {@code >= 0}
   * @param flags the 32-bit {@code sample_flags} (see {@link SampleFlags})
   * @param compositionOffset pts minus dts
   * @param dataOffset absolute index of the sample's first byte in the array given to {@code read}
   */
  public record SampleRef(
      int trackId,
      long decodeTime,
      int duration,
      int size,
      int flags,
      int compositionOffset,
      int dataOffset) {

    /** Whether decoding can start here: the non-sync bit of {@link #flags} is clear. */
    public boolean sync() {
      return SampleFlags.isSync(flags);
    }
  }

  /**
   * Every sample of every {@code moof} in {@code data}, in file order: {@code traf} by {@code
   * traf}, {@code trun} by {@code trun}, sample by sample.
   *
   * @return an unmodifiable list; empty if there is no {@code moof}
   * @throws IllegalArgumentException if the boxes are malformed, a field runs past its box, a
   *     {@code traf} with samples lacks {@code tfhd} or {@code tfdt}, a duration or size is given
   *     nowhere, or a sample lies outside the {@code mdat} that follows its {@code moof}
   */
  public static List<SampleRef> read(byte[] data) {
    Objects.requireNonNull(data, "data");
    return read(data, 0, data.length);
  }

  /**
   * The samples of the boxes in {@code data[offset, offset + length)}, as {@link #read(byte[])}. An
   * explicit {@code tfhd} base_data_offset counts from {@code offset}: the range is the file.
   * {@link SampleRef#dataOffset()} is an index into {@code data}.
   *
   * @throws IndexOutOfBoundsException if the range is not inside {@code data}
   * @throws IllegalArgumentException as {@link #read(byte[])}
   */
  public static List<SampleRef> read(byte[] data, int offset, int length) {
    Objects.requireNonNull(data, "data");
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(data, offset, length);
    FragmentReader reader = new FragmentReader(data, offset, length);
    for (int i = 0; i < boxes.size(); i++) {
      if (boxes.get(i).type().equals("moof")) {
        reader.readMoof(boxes.get(i), mdatAfter(boxes, i));
      }
    }
    return Collections.unmodifiableList(reader.samples);
  }

  /** The first {@code mdat} after the {@code moof} at {@code moofIndex}, before any other moof. */
  private static Mp4Boxes.Box mdatAfter(List<Mp4Boxes.Box> boxes, int moofIndex) {
    for (int i = moofIndex + 1; i < boxes.size(); i++) {
      String type = boxes.get(i).type();
      if (type.equals("mdat")) {
        return boxes.get(i);
      }
      if (type.equals("moof")) {
        break;
      }
    }
    throw new IllegalArgumentException(
        "moof at offset " + boxes.get(moofIndex).offset() + " is not followed by an mdat");
  }

  private void readMoof(Mp4Boxes.Box moof, Mp4Boxes.Box mdat) {
    for (Mp4Boxes.Box traf : moof.children("traf")) {
      List<Mp4Boxes.Box> truns = traf.children("trun");
      if (truns.isEmpty()) {
        continue;
      }
      TrackHeader header = trackHeader(traf);
      Cursor cursor = new Cursor(decodeTime(traf), baseDataOffset(header, moof));
      for (Mp4Boxes.Box trun : truns) {
        readTrun(trun, header, cursor, mdat);
      }
    }
  }

  private TrackHeader trackHeader(Mp4Boxes.Box traf) {
    Mp4Boxes.Box tfhd =
        traf.child("tfhd")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "traf at offset " + traf.offset() + " has no tfhd"));
    Fields fields = new Fields(data, tfhd);
    int flags = fields.fullBoxHeader();
    long trackId = fields.u32();
    if (trackId < 1 || trackId > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "tfhd at offset " + tfhd.offset() + " has track_ID " + trackId);
    }
    long base = (flags & TFHD_BASE_DATA_OFFSET) != 0 ? explicitBase(tfhd, fields.u64()) : ABSENT;
    if ((flags & TFHD_SAMPLE_DESCRIPTION_INDEX) != 0) {
      fields.u32();
    }
    long duration = (flags & TFHD_DEFAULT_SAMPLE_DURATION) != 0 ? fields.u32() : ABSENT;
    long size = (flags & TFHD_DEFAULT_SAMPLE_SIZE) != 0 ? fields.u32() : ABSENT;
    int sampleFlags = (flags & TFHD_DEFAULT_SAMPLE_FLAGS) != 0 ? (int) fields.u32() : 0;
    return new TrackHeader((int) trackId, base, duration, size, sampleFlags);
  }

  /** An absolute base counts from the start of the range read: it must lie inside it. */
  private long explicitBase(Mp4Boxes.Box tfhd, long base) {
    if (base < 0 || base > length) {
      throw new IllegalArgumentException(
          "tfhd at offset "
              + tfhd.offset()
              + " has base_data_offset "
              + Long.toUnsignedString(base)
              + " beyond the "
              + length
              + "-byte input");
    }
    return base;
  }

  private long decodeTime(Mp4Boxes.Box traf) {
    Mp4Boxes.Box tfdt =
        traf.child("tfdt")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "traf at offset " + traf.offset() + " has samples but no tfdt"));
    Fields fields = new Fields(data, tfdt);
    fields.fullBoxHeader();
    long time =
        switch (fields.version()) {
          case 0 -> fields.u32();
          case 1 -> fields.u64();
          default ->
              throw new IllegalArgumentException(
                  "tfdt at offset " + tfdt.offset() + " has unknown version " + fields.version());
        };
    if (time < 0) {
      throw new IllegalArgumentException(
          "tfdt at offset "
              + tfdt.offset()
              + " has baseMediaDecodeTime "
              + Long.toUnsignedString(time)
              + ", beyond 2^63 - 1");
    }
    return time;
  }

  /** Absolute index in {@link #data} that trun data offsets count from. */
  private long baseDataOffset(TrackHeader header, Mp4Boxes.Box moof) {
    return header.baseDataOffset() == ABSENT ? moof.offset() : offset + header.baseDataOffset();
  }

  private void readTrun(Mp4Boxes.Box trun, TrackHeader header, Cursor cursor, Mp4Boxes.Box mdat) {
    Fields fields = new Fields(data, trun);
    int flags = fields.fullBoxHeader();
    if (fields.version() > 1) {
      throw new IllegalArgumentException(
          "trun at offset " + trun.offset() + " has unknown version " + fields.version());
    }
    long count = fields.u32();
    if ((flags & TRUN_DATA_OFFSET) != 0) {
      cursor.nextData = cursor.base + fields.s32();
    }
    long firstFlags = (flags & TRUN_FIRST_SAMPLE_FLAGS) != 0 ? fields.u32() : ABSENT;
    checkCount(trun, flags, count, fields.remaining());
    requireDefault(trun, flags, TRUN_SAMPLE_DURATION, header.defaultDuration(), "duration", count);
    requireDefault(trun, flags, TRUN_SAMPLE_SIZE, header.defaultSize(), "size", count);
    for (int i = 0; i < count; i++) {
      long duration = (flags & TRUN_SAMPLE_DURATION) != 0 ? fields.u32() : header.defaultDuration();
      long size = (flags & TRUN_SAMPLE_SIZE) != 0 ? fields.u32() : header.defaultSize();
      int sampleFlags = (flags & TRUN_SAMPLE_FLAGS) != 0 ? fields.s32() : header.defaultFlags();
      if (i == 0 && firstFlags != ABSENT) {
        sampleFlags = (int) firstFlags;
      }
      int compositionOffset =
          (flags & TRUN_SAMPLE_COMPOSITION_OFFSET) != 0 ? compositionOffset(trun, fields) : 0;
      addSample(header.trackId(), cursor, duration, size, sampleFlags, compositionOffset, mdat);
    }
  }

  /**
   * The per-sample fields must fit the box, and a run without any may not claim more samples than
   * the input has bytes (zero-size samples would otherwise take no room at all).
   */
  private void checkCount(Mp4Boxes.Box trun, int flags, long count, int fieldBytes) {
    long perSample = 4L * Integer.bitCount(flags & 0xF00);
    if (count * perSample > fieldBytes) {
      throw new IllegalArgumentException(
          "trun at offset "
              + trun.offset()
              + " declares "
              + count
              + " samples of "
              + perSample
              + " bytes but holds "
              + fieldBytes);
    }
    if (samples.size() + count > length) {
      throw new IllegalArgumentException(
          "trun at offset "
              + trun.offset()
              + " declares "
              + count
              + " samples, more than the "
              + length
              + "-byte input can describe");
    }
  }

  private static void requireDefault(
      Mp4Boxes.Box trun, int flags, int presentFlag, long fallback, String what, long count) {
    if (count > 0 && (flags & presentFlag) == 0 && fallback == ABSENT) {
      throw new IllegalArgumentException(
          "trun at offset "
              + trun.offset()
              + " gives no sample "
              + what
              + " and its tfhd no default-sample-"
              + what
              + " (a trex default would need the init segment)");
    }
  }

  /** Version 0 is unsigned; an int holds it only below 2^31. */
  private static int compositionOffset(Mp4Boxes.Box trun, Fields fields) {
    if (fields.version() == 1) {
      return fields.s32();
    }
    long unsigned = fields.u32();
    if (unsigned > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "trun version 0 at offset "
              + trun.offset()
              + " has composition offset "
              + unsigned
              + " (a negative offset needs version 1)");
    }
    return (int) unsigned;
  }

  private void addSample(
      int trackId,
      Cursor cursor,
      long duration,
      long size,
      int flags,
      int compositionOffset,
      Mp4Boxes.Box mdat) {
    long start = cursor.nextData;
    if (start < mdat.payloadOffset() || size > mdat.end() - start) {
      throw new IllegalArgumentException(
          "sample "
              + samples.size()
              + " (track "
              + trackId
              + ") at ["
              + start
              + ", "
              + (start + size)
              + ") lies outside the mdat payload ["
              + mdat.payloadOffset()
              + ", "
              + mdat.end()
              + ")");
    }
    if (duration > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "sample " + samples.size() + " (track " + trackId + ") has duration " + duration);
    }
    if (cursor.decodeTime > Long.MAX_VALUE - duration) {
      throw new IllegalArgumentException(
          "decode time of track " + trackId + " passes 2^63 - 1 at sample " + samples.size());
    }
    samples.add(
        new SampleRef(
            trackId,
            cursor.decodeTime,
            (int) duration,
            (int) size,
            flags,
            compositionOffset,
            (int) start));
    cursor.decodeTime += duration;
    cursor.nextData = start + size;
  }

  /**
   * What a {@code tfhd} says; {@link #ABSENT} for optional fields it leaves out.
   *
   * @param defaultFlags 0 when absent
   */
  private record TrackHeader(
      int trackId, long baseDataOffset, long defaultDuration, long defaultSize, int defaultFlags) {}

  /** Where a traf's next sample starts: its dts and its absolute data index. */
  private static final class Cursor {
    final long base;
    long decodeTime;
    long nextData;

    Cursor(long decodeTime, long base) {
      this.decodeTime = decodeTime;
      this.base = base;
      this.nextData = base;
    }
  }

  /** Big-endian fields of one leaf box, read front to back and never past its end. */
  private static final class Fields {

    private final byte[] data;
    private final Mp4Boxes.Box box;
    private int position;
    private int version;

    Fields(byte[] data, Mp4Boxes.Box box) {
      this.data = data;
      this.box = box;
      this.position = box.payloadOffset();
    }

    /** Reads version and flags (ISO/IEC 14496-12 4.2); returns the flags. */
    int fullBoxHeader() {
      int word = s32();
      version = word >>> 24;
      return word & 0xFFFFFF;
    }

    int version() {
      return version;
    }

    int remaining() {
      return box.end() - position;
    }

    long u32() {
      return s32() & 0xFFFF_FFFFL;
    }

    /** Unsigned 64 bits, as a negative long from 2^63 on. */
    long u64() {
      return (u32() << 32) | u32();
    }

    int s32() {
      if (remaining() < 4) {
        throw new IllegalArgumentException(
            "'"
                + box.type()
                + "' at offset "
                + box.offset()
                + " is "
                + box.size()
                + " bytes, too short for the fields its version and flags call for");
      }
      int value =
          ((data[position] & 0xFF) << 24)
              | ((data[position + 1] & 0xFF) << 16)
              | ((data[position + 2] & 0xFF) << 8)
              | (data[position + 3] & 0xFF);
      position += 4;
      return value;
    }
  }
}
