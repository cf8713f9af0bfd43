package io.camflow.media.fmp4;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A progressive (not fragmented) MP4 of samples whose sizes and durations are known before their
 * bytes: {@code ftyp}, a {@code moov} with full sample tables, then one {@code mdat}. The export of
 * a recording: the header is computed from the sample layout alone, so the file is served moov
 * first, its length is known before the first byte, and any byte range of it can be made from the
 * header and the samples it covers.
 *
 * <pre>
 * ftyp                 isom, compatible isom iso2 mp41
 * moov
 *   mvhd               movie timescale 1000, duration = the longest edit
 *   trak               (per track of the init segment that has samples)
 *     tkhd             duration = its edit
 *     edts/elst        one edit: where presentation starts (frame-accurate start) and how long
 *     mdia
 *       mdhd           the init segment's timescale and language, duration = sum of samples
 *       hdlr           copied from the init segment
 *       minf
 *         vmhd | smhd, dinf   copied
 *         stbl
 *           stsd       copied: the codec configuration is the init segment's
 *           stts [ctts] [stss] stsc stsz stco|co64
 * mdat                 the samples in the order they were added (64-bit size when it needs one)
 * </pre>
 *
 * <p>Samples are added in the order their bytes follow each other in the mdat; consecutive samples
 * of one track form a chunk. The edit list is how a clip starts at an exact instant that is not a
 * keyframe: the frames from the preceding keyframe are in the file and decoded, but presentation
 * begins at the edit's media time (ISO/IEC 14496-12 8.6.6; FFmpeg, browsers and QuickTime honour a
 * single edit).
 */
public final class ProgressiveMovie {

  static final int MOVIE_TIMESCALE = 1000;

  private static final long SECONDS_1904_TO_1970 = 2_082_844_800L;

  private final byte[] header;
  private final long dataLength;

  private ProgressiveMovie(byte[] header, long dataLength) {
    this.header = header;
    this.dataLength = dataLength;
  }

  /**
   * A movie of the tracks of {@code initSegment} (an fMP4 init segment: its sample entries are
   * copied as they are).
   *
   * @throws IllegalArgumentException if the init segment has no track or does not parse
   */
  public static Builder builder(byte[] initSegment) {
    return new Builder(initSegment);
  }

  /** ftyp, moov and the mdat's header: the first bytes of the file. */
  public byte[] header() {
    return header.clone();
  }

  /** Bytes before the first sample: the length of {@link #header()}. */
  public int headerLength() {
    return header.length;
  }

  /** Copies header bytes {@code [from, from + length)} into {@code out} at {@code at}. */
  public void copyHeader(int from, byte[] out, int at, int length) {
    System.arraycopy(header, from, out, at, length);
  }

  /** The sum of the samples' sizes. */
  public long dataLength() {
    return dataLength;
  }

  /** The file's length. */
  public long length() {
    return header.length + dataLength;
  }

  /** Collects the samples, then writes the header. Not thread-safe. */
  public static final class Builder {
    private final byte[] init;
    private final Map<Integer, Track> tracks = new LinkedHashMap<>();
    private long dataLength;
    private Track last;
    private Instant created = Instant.EPOCH;

    private Builder(byte[] initSegment) {
      this.init = initSegment.clone();
      List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(init);
      for (Mp4Boxes.Box trak : Mp4Boxes.findAll(boxes, "moov/trak")) {
        Track t = Track.of(init, trak);
        tracks.put(t.id, t);
      }
      if (tracks.isEmpty()) {
        throw new IllegalArgumentException("the init segment has no track");
      }
    }

    /** The track ids of the init segment, in its order. */
    public List<Integer> trackIds() {
      return List.copyOf(tracks.keySet());
    }

    /** Whether track {@code trackId} is a video track. */
    public boolean isVideo(int trackId) {
      return track(trackId).video;
    }

    /** The timescale of track {@code trackId} (ticks per second). */
    public int timescale(int trackId) {
      return track(trackId).timescale;
    }

    /** When the movie was made (mvhd creation time): the clip's start, for example. */
    public Builder createdAt(Instant instant) {
      created = instant;
      return this;
    }

    /**
     * The next sample of the mdat.
     *
     * @param duration in the track's timescale
     * @param compositionOffset presentation minus decode time, in the track's timescale
     */
    public Builder add(int trackId, int duration, int size, boolean sync, int compositionOffset) {
      if (duration < 0 || size < 0) {
        throw new IllegalArgumentException(
            "sample of track " + trackId + ": duration " + duration + ", size " + size);
      }
      Track t = track(trackId);
      t.add(duration, size, sync, compositionOffset, t != last, dataLength);
      last = t;
      dataLength += size;
      return this;
    }

    /**
     * Lengthens the last sample of a track by {@code ticks}: the picture (or sound) is held over a
     * stretch with no samples, a gap in a recording, so the movie's clock stays the wall clock's.
     */
    public Builder extendLast(int trackId, long ticks) {
      track(trackId).extendLast(ticks);
      return this;
    }

    /**
     * Where presentation of a track starts and how long it lasts: its one edit. Without it, a track
     * is shown from its first sample to its end.
     *
     * @param mediaTime composition time of the first shown instant, in the track's timescale, from
     *     the decode time of the track's first sample
     * @param durationMillis how long it is shown
     */
    public Builder edit(int trackId, long mediaTime, long durationMillis) {
      if (mediaTime < 0 || mediaTime > Integer.MAX_VALUE || durationMillis < 0) {
        throw new IllegalArgumentException(
            "edit of track "
                + trackId
                + ": media time "
                + mediaTime
                + ", "
                + durationMillis
                + " ms");
      }
      Track t = track(trackId);
      t.editMediaTime = mediaTime;
      t.editMillis = durationMillis;
      return this;
    }

    /** The samples added so far to a track. */
    public int sampleCount(int trackId) {
      return track(trackId).count;
    }

    /**
     * The movie of the samples added.
     *
     * @throws IllegalArgumentException if no track has a sample
     */
    public ProgressiveMovie build() {
      List<Track> present = new ArrayList<>();
      for (Track t : tracks.values()) {
        if (t.count > 0) {
          present.add(t);
        }
      }
      if (present.isEmpty()) {
        throw new IllegalArgumentException("a movie needs at least one sample");
      }
      boolean co64 = false;
      int headerLength = measure(present, false);
      if (headerLength + dataLength > 0xFFFF_FFFFL) {
        co64 = true;
        headerLength = measure(present, true);
      }
      byte[] out = new byte[headerLength];
      BoxWriter w = BoxWriter.into(out, 0);
      write(w, present, co64, headerLength);
      if (w.position() != headerLength) {
        throw new IllegalStateException(
            "movie header measured " + headerLength + " bytes, wrote " + w.position());
      }
      return new ProgressiveMovie(out, dataLength);
    }

    private int measure(List<Track> present, boolean co64) {
      BoxWriter m = BoxWriter.measuring();
      write(m, present, co64, 0);
      return m.position();
    }

    private Track track(int trackId) {
      Track t = tracks.get(trackId);
      if (t == null) {
        throw new IllegalArgumentException(
            "track " + trackId + " is not in the init segment " + tracks.keySet());
      }
      return t;
    }

    private void write(BoxWriter w, List<Track> present, boolean co64, long dataStart) {
      int ftyp = w.begin("ftyp");
      w.fourcc("isom");
      w.u32(0x200);
      w.fourcc("isom");
      w.fourcc("iso2");
      w.fourcc("mp41");
      w.end(ftyp);

      long created1904 = created.getEpochSecond() + SECONDS_1904_TO_1970;
      long movieMillis = 0;
      int nextId = 1;
      for (Track t : present) {
        movieMillis = Math.max(movieMillis, t.presentedMillis());
        nextId = Math.max(nextId, t.id + 1);
      }
      int moov = w.begin("moov");
      int mvhd = w.beginFull("mvhd", 0, 0);
      w.u32((int) created1904);
      w.u32((int) created1904);
      w.u32(MOVIE_TIMESCALE);
      w.u32(u32(movieMillis, "movie duration"));
      w.u32(0x00010000); // rate 1.0
      w.u16(0x0100); // volume 1.0
      w.zeros(2 + 8);
      matrix(w);
      w.zeros(24);
      w.u32(nextId);
      w.end(mvhd);
      for (Track t : present) {
        t.write(w, init, created1904, co64, dataStart);
      }
      w.end(moov);

      long mdatSize = 8 + dataLength;
      if (mdatSize > 0xFFFF_FFFFL) {
        w.u32(1); // size in the 64-bit field that follows the type
        w.fourcc("mdat");
        w.u64(mdatSize + 8);
      } else {
        w.u32((int) mdatSize);
        w.fourcc("mdat");
      }
    }
  }

  private static final int[] UNITY_MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

  private static void matrix(BoxWriter w) {
    for (int v : UNITY_MATRIX) {
      w.u32(v);
    }
  }

  private static int u32(long value, String what) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(what + " " + value + " does not fit 32 bits");
    }
    return (int) value;
  }

  /** One track: what the init segment says of it, and its samples. */
  private static final class Track {
    final int id;
    final boolean video;
    final int timescale;
    final int width;
    final int height;
    final int language;
    final Mp4Boxes.Box hdlr;
    final Mp4Boxes.Box mediaHeader; // vmhd or smhd
    final Mp4Boxes.Box dinf;
    final Mp4Boxes.Box stsd;

    int count;
    int[] durations = new int[256];
    int[] sizes = new int[256];
    int[] offsets = new int[256];
    boolean anyOffset;
    boolean anyNegativeOffset;
    final List<Integer> syncSamples = new ArrayList<>(); // 1-based
    final List<Long> chunkOffsets = new ArrayList<>(); // from the first sample byte
    final List<Integer> chunkSizes = new ArrayList<>(); // samples per chunk
    long mediaDuration;
    long editMediaTime = -1;
    long editMillis = -1;

    private Track(
        int id,
        boolean video,
        int timescale,
        int width,
        int height,
        int language,
        Mp4Boxes.Box hdlr,
        Mp4Boxes.Box mediaHeader,
        Mp4Boxes.Box dinf,
        Mp4Boxes.Box stsd) {
      this.id = id;
      this.video = video;
      this.timescale = timescale;
      this.width = width;
      this.height = height;
      this.language = language;
      this.hdlr = hdlr;
      this.mediaHeader = mediaHeader;
      this.dinf = dinf;
      this.stsd = stsd;
    }

    static Track of(byte[] init, Mp4Boxes.Box trak) {
      Mp4Boxes.Box tkhd = required(trak, "tkhd");
      Mp4Boxes.Box mdhd = required(trak, "mdia/mdhd");
      Mp4Boxes.Box hdlr = required(trak, "mdia/hdlr");
      Mp4Boxes.Box dinf = required(trak, "mdia/minf/dinf");
      Mp4Boxes.Box stsd = required(trak, "mdia/minf/stbl/stsd");
      int tkhdVersion = init[tkhd.payloadOffset()] & 0xFF;
      int id = i32(init, tkhd.payloadOffset() + (tkhdVersion == 1 ? 20 : 12), tkhd);
      int width = i32(init, tkhd.end() - 8, tkhd) >>> 16;
      int height = i32(init, tkhd.end() - 4, tkhd) >>> 16;
      int mdhdVersion = init[mdhd.payloadOffset()] & 0xFF;
      int fields = mdhd.payloadOffset() + 4 + (mdhdVersion == 1 ? 16 : 8);
      int timescale = i32(init, fields, mdhd);
      int language = (i32(init, fields + (mdhdVersion == 1 ? 12 : 8), mdhd) >>> 16) & 0x7FFF;
      String handler =
          new String(init, hdlr.payloadOffset() + 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
      boolean video = handler.equals("vide");
      Mp4Boxes.Box mediaHeader = required(trak, video ? "mdia/minf/vmhd" : "mdia/minf/smhd");
      if (timescale <= 0) {
        throw new IllegalArgumentException("track " + id + " has timescale " + timescale);
      }
      return new Track(
          id, video, timescale, width, height, language, hdlr, mediaHeader, dinf, stsd);
    }

    void add(
        int duration,
        int size,
        boolean sync,
        int compositionOffset,
        boolean newChunk,
        long dataOffset) {
      if (count == durations.length) {
        int n = count * 2;
        durations = Arrays.copyOf(durations, n);
        sizes = Arrays.copyOf(sizes, n);
        offsets = Arrays.copyOf(offsets, n);
      }
      durations[count] = duration;
      sizes[count] = size;
      offsets[count] = compositionOffset;
      anyOffset |= compositionOffset != 0;
      anyNegativeOffset |= compositionOffset < 0;
      count++;
      if (sync) {
        syncSamples.add(count);
      }
      if (newChunk) {
        chunkOffsets.add(dataOffset);
        chunkSizes.add(1);
      } else {
        chunkSizes.set(chunkSizes.size() - 1, chunkSizes.get(chunkSizes.size() - 1) + 1);
      }
      mediaDuration += duration;
    }

    void extendLast(long ticks) {
      if (count == 0 || ticks < 0 || durations[count - 1] + ticks > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "track " + id + ": cannot extend its last sample by " + ticks);
      }
      durations[count - 1] += (int) ticks;
      mediaDuration += ticks;
    }

    /** The edit's media time, or else the earliest composition time of the track. */
    long mediaTime() {
      if (editMediaTime >= 0) {
        return editMediaTime;
      }
      long earliest = Long.MAX_VALUE;
      long dts = 0;
      for (int i = 0; i < count; i++) {
        earliest = Math.min(earliest, dts + offsets[i]);
        dts += durations[i];
      }
      return Math.max(0, earliest);
    }

    long presentedMillis() {
      return editMillis >= 0 ? editMillis : mediaDuration * MOVIE_TIMESCALE / timescale;
    }

    void write(BoxWriter w, byte[] init, long created1904, boolean co64, long dataStart) {
      int trak = w.begin("trak");
      int tkhd = w.beginFull("tkhd", 0, 0x000003); // enabled, in movie
      w.u32((int) created1904);
      w.u32((int) created1904);
      w.u32(id);
      w.u32(0);
      w.u32(u32(presentedMillis(), "track duration"));
      w.zeros(8);
      w.u16(0); // layer
      w.u16(0); // alternate group
      w.u16(video ? 0 : 0x0100);
      w.u16(0);
      matrix(w);
      w.u32(width << 16);
      w.u32(height << 16);
      w.end(tkhd);

      int edts = w.begin("edts");
      int elst = w.beginFull("elst", 0, 0);
      w.u32(1);
      w.u32(u32(presentedMillis(), "edit duration"));
      w.u32((int) mediaTime());
      w.u16(1); // media_rate 1.0
      w.u16(0);
      w.end(elst);
      w.end(edts);

      int mdia = w.begin("mdia");
      int mdhd = w.beginFull("mdhd", 0, 0);
      w.u32((int) created1904);
      w.u32((int) created1904);
      w.u32(timescale);
      w.u32(u32(mediaDuration, "track " + id + " duration"));
      w.u16(language);
      w.u16(0);
      w.end(mdhd);
      copy(w, init, hdlr);
      int minf = w.begin("minf");
      copy(w, init, mediaHeader);
      copy(w, init, dinf);
      int stbl = w.begin("stbl");
      copy(w, init, stsd);
      writeStts(w);
      if (anyOffset) {
        writeCtts(w);
      }
      if (syncSamples.size() < count) {
        int stss = w.beginFull("stss", 0, 0);
        w.u32(syncSamples.size());
        for (int n : syncSamples) {
          w.u32(n);
        }
        w.end(stss);
      }
      writeStsc(w);
      writeStsz(w);
      int co = w.beginFull(co64 ? "co64" : "stco", 0, 0);
      w.u32(chunkOffsets.size());
      for (long offset : chunkOffsets) {
        if (co64) {
          w.u64(dataStart + offset);
        } else {
          w.u32((int) (dataStart + offset));
        }
      }
      w.end(co);
      w.end(stbl);
      w.end(minf);
      w.end(mdia);
      w.end(trak);
    }

    private void writeStts(BoxWriter w) {
      int box = w.beginFull("stts", 0, 0);
      int entries = w.position();
      w.u32(0);
      int n = runs(w, durations);
      patch(w, entries, n);
      w.end(box);
    }

    private void writeCtts(BoxWriter w) {
      int box = w.beginFull("ctts", anyNegativeOffset ? 1 : 0, 0);
      int entries = w.position();
      w.u32(0);
      int n = runs(w, offsets);
      patch(w, entries, n);
      w.end(box);
    }

    /** Run-length entries (count, value) of {@code values[0, count)}; returns how many. */
    private int runs(BoxWriter w, int[] values) {
      int n = 0;
      int i = 0;
      while (i < count) {
        int j = i + 1;
        while (j < count && values[j] == values[i]) {
          j++;
        }
        w.u32(j - i);
        w.u32(values[i]);
        n++;
        i = j;
      }
      return n;
    }

    private void writeStsc(BoxWriter w) {
      int box = w.beginFull("stsc", 0, 0);
      int entries = w.position();
      w.u32(0);
      int n = 0;
      for (int c = 0; c < chunkSizes.size(); c++) {
        if (c == 0 || !chunkSizes.get(c).equals(chunkSizes.get(c - 1))) {
          w.u32(c + 1); // first_chunk, 1-based
          w.u32(chunkSizes.get(c));
          w.u32(1); // sample_description_index
          n++;
        }
      }
      patch(w, entries, n);
      w.end(box);
    }

    private void writeStsz(BoxWriter w) {
      int box = w.beginFull("stsz", 0, 0);
      boolean same = true;
      for (int i = 1; i < count && same; i++) {
        same = sizes[i] == sizes[0];
      }
      w.u32(same ? sizes[0] : 0);
      w.u32(count);
      if (!same) {
        for (int i = 0; i < count; i++) {
          w.u32(sizes[i]);
        }
      }
      w.end(box);
    }

    private static void patch(BoxWriter w, int at, int value) {
      w.patch32(at, value);
    }

    private static void copy(BoxWriter w, byte[] init, Mp4Boxes.Box box) {
      w.bytes(init, box.offset(), box.size());
    }

    private static Mp4Boxes.Box required(Mp4Boxes.Box trak, String path) {
      return trak.find(path)
          .orElseThrow(() -> new IllegalArgumentException("init segment track lacks " + path));
    }

    private static int i32(byte[] data, int at, Mp4Boxes.Box within) {
      if (at < within.payloadOffset() || at + 4 > within.end()) {
        throw new IllegalArgumentException("box '" + within.type() + "' is too short");
      }
      return ((data[at] & 0xFF) << 24)
          | ((data[at + 1] & 0xFF) << 16)
          | ((data[at + 2] & 0xFF) << 8)
          | (data[at + 3] & 0xFF);
    }
  }
}
