package io.camflow.media.fmp4;

import java.util.List;
import java.util.Objects;

/**
 * A movie fragment: one {@code moof} and the one {@code mdat} it describes. An LL-HLS part, a CMAF
 * chunk, one WebSocket message for MSE.
 *
 * <pre>
 * moof
 *   mfhd                 sequence_number
 *   traf                 (per track run)
 *     tfhd               track_ID; default-base-is-moof
 *     tfdt               version 1: 64-bit baseMediaDecodeTime
 *     trun               version 1: data_offset, then per sample duration, size, flags
 *                        and (when any is non-zero) a signed composition offset
 * mdat                   the samples of every run, run after run, in order
 * </pre>
 *
 * <p>The size is computed first and the fragment filled into one array: sample bytes are copied
 * once, and no buffer grows. {@link #write(int, List, byte[], int)} writes into the caller's array
 * instead (a pooled buffer, say).
 */
public final class Fragment {

  private static final int MFHD_SIZE = 16;
  private static final int TFHD_SIZE = 16; // full box + track_ID, no optional fields
  private static final int TFDT_SIZE = 20; // full box + 64-bit time
  private static final int TRUN_FIXED_SIZE = 20; // full box + sample_count + data_offset
  private static final int BOX_HEADER = 8;

  /** tfhd: data offsets count from the start of the moof (ISO/IEC 14496-12 8.8.7.1). */
  static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;

  static final int TRUN_DATA_OFFSET = 0x000001;
  static final int TRUN_SAMPLE_DURATION = 0x000100;
  static final int TRUN_SAMPLE_SIZE = 0x000200;
  static final int TRUN_SAMPLE_FLAGS = 0x000400;
  static final int TRUN_SAMPLE_COMPOSITION_OFFSET = 0x000800;

  private Fragment() {}

  /**
   * Writes a fragment.
   *
   * @param sequenceNumber the {@code mfhd} sequence number, written as an unsigned 32-bit value (so
   *     {@code (int)} of a long counter wraps the way the field does); increase it per fragment
   *     (players do not rely on it)
   * @param runs one per track, at most one per track id, in the order their data goes into the mdat
   * @throws IllegalArgumentException if there is no run, a track id repeats, or the fragment would
   *     exceed 2 GiB
   */
  public static byte[] write(int sequenceNumber, List<TrackRun> runs) {
    int moofSize = moofSize(runs);
    byte[] out = new byte[size(moofSize, runs)];
    fill(sequenceNumber, runs, out, 0, moofSize, out.length);
    return out;
  }

  /**
   * Writes a fragment into {@code out} from {@code offset}; {@link #sizeOf} tells how much room it
   * takes.
   *
   * @return the number of bytes written
   * @throws IllegalArgumentException as {@link #write(int, List)}, or if {@code out} is too small
   */
  public static int write(int sequenceNumber, List<TrackRun> runs, byte[] out, int offset) {
    Objects.requireNonNull(out, "out");
    int moofSize = moofSize(runs);
    int size = size(moofSize, runs);
    if (offset < 0 || offset > out.length || out.length - offset < size) {
      throw new IllegalArgumentException(
          "fragment of "
              + size
              + " bytes does not fit at offset "
              + offset
              + " of a "
              + out.length
              + "-byte array");
    }
    fill(sequenceNumber, runs, out, offset, moofSize, size);
    return size;
  }

  private static void fill(
      int sequenceNumber, List<TrackRun> runs, byte[] out, int offset, int moofSize, int size) {
    BoxWriter w = BoxWriter.into(out, offset);
    int moof = w.begin("moof");
    int mfhd = w.beginFull("mfhd", 0, 0);
    w.u32(sequenceNumber);
    w.end(mfhd);
    // Data of run i starts after the moof, the mdat header and the data of runs 0..i-1.
    int dataOffset = moofSize + BOX_HEADER;
    for (int r = 0; r < runs.size(); r++) {
      TrackRun run = runs.get(r);
      writeTraf(w, run, dataOffset);
      dataOffset += (int) run.dataSize();
    }
    w.end(moof);

    int mdat = w.begin("mdat");
    for (int r = 0; r < runs.size(); r++) {
      List<Sample> samples = runs.get(r).samples();
      for (int s = 0; s < samples.size(); s++) {
        w.bytes(samples.get(s).data());
      }
    }
    w.end(mdat);
    if (w.position() - offset != size) {
      throw new IllegalStateException(
          "fragment sized " + size + " bytes, wrote " + (w.position() - offset));
    }
  }

  /**
   * The size of the fragment {@link #write} makes of these runs.
   *
   * @throws IllegalArgumentException if there is no run, a track id repeats, or it would exceed 2
   *     GiB
   */
  public static int sizeOf(List<TrackRun> runs) {
    return size(moofSize(runs), runs);
  }

  private static int size(int moofSize, List<TrackRun> runs) {
    long size = (long) moofSize + BOX_HEADER;
    for (int r = 0; r < runs.size(); r++) {
      size += runs.get(r).dataSize();
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "fragment of " + size + " bytes exceeds what one array holds");
    }
    return (int) size;
  }

  /** The size of the moof box alone: the trun data offsets count from its start. */
  static int moofSize(List<TrackRun> runs) {
    Objects.requireNonNull(runs, "runs");
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("a fragment needs at least one track run");
    }
    long size = BOX_HEADER + MFHD_SIZE;
    for (int r = 0; r < runs.size(); r++) {
      TrackRun run = Objects.requireNonNull(runs.get(r), "run");
      for (int earlier = 0; earlier < r; earlier++) {
        if (runs.get(earlier).trackId() == run.trackId()) {
          throw new IllegalArgumentException(
              "track " + run.trackId() + " has two runs in one fragment");
        }
      }
      size +=
          BOX_HEADER
              + TFHD_SIZE
              + TFDT_SIZE
              + TRUN_FIXED_SIZE
              + (long) run.samples().size() * bytesPerSample(trunFlags(run));
    }
    if (size > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException(
          "moof of " + size + " bytes: too many samples in one fragment");
    }
    return (int) size;
  }

  private static void writeTraf(BoxWriter w, TrackRun run, int dataOffset) {
    int traf = w.begin("traf");
    int tfhd = w.beginFull("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF);
    w.u32(run.trackId());
    w.end(tfhd);

    int tfdt = w.beginFull("tfdt", 1, 0);
    w.u64(run.baseMediaDecodeTime());
    w.end(tfdt);

    int flags = trunFlags(run);
    boolean withOffsets = (flags & TRUN_SAMPLE_COMPOSITION_OFFSET) != 0;
    List<Sample> samples = run.samples();
    // Version 1: composition offsets are signed, so B-frames need no edit list.
    int trun = w.beginFull("trun", 1, flags);
    w.u32(samples.size());
    w.u32(dataOffset);
    for (int s = 0; s < samples.size(); s++) {
      Sample sample = samples.get(s);
      w.u32(sample.duration());
      w.u32(sample.data().length);
      w.u32(sample.flags());
      if (withOffsets) {
        w.u32(sample.compositionOffset());
      }
    }
    w.end(trun);
    w.end(traf);
  }

  /**
   * Composition offsets only when some sample has one: audio and B-frame-free video save 4 bytes a
   * sample.
   */
  static int trunFlags(TrackRun run) {
    int flags = TRUN_DATA_OFFSET | TRUN_SAMPLE_DURATION | TRUN_SAMPLE_SIZE | TRUN_SAMPLE_FLAGS;
    List<Sample> samples = run.samples();
    for (int s = 0; s < samples.size(); s++) {
      if (samples.get(s).compositionOffset() != 0) {
        return flags | TRUN_SAMPLE_COMPOSITION_OFFSET;
      }
    }
    return flags;
  }

  private static int bytesPerSample(int trunFlags) {
    return (trunFlags & TRUN_SAMPLE_COMPOSITION_OFFSET) != 0 ? 16 : 12;
  }
}
