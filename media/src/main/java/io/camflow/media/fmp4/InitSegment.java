package io.camflow.media.fmp4;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The init segment of a fragmented MP4 stream: {@code ftyp} and a {@code moov} with one {@code
 * trak} per track, empty sample tables and an {@code mvex} announcing the fragments. The HLS {@code
 * EXT-X-MAP}, the first message of an MSE WebSocket, the CMAF header.
 *
 * <pre>
 * ftyp
 * moov
 *   mvhd
 *   trak                      (per track)
 *     tkhd
 *     mdia
 *       mdhd                  timescale of the track
 *       hdlr                  vide / soun
 *       minf
 *         vmhd | smhd
 *         dinf / dref / url
 *         stbl
 *           stsd              avc1+avcC | hvc1+hvcC | mp4a+esds | ulaw | alaw
 *           stts stsc stsz stco   (empty: samples come in fragments)
 *   mvex
 *     trex                    (per track)
 * </pre>
 *
 * <p>Brands: major {@code iso6}, compatible {@code iso6 iso5 mp41}. {@code iso5} covers
 * default-base-is-moof, {@code iso6} tfdt and signed composition offsets, {@code mp41} the MPEG-4
 * {@code esds}. No {@code cmfc}: CMAF requires one track per file and {@code colr}/{@code pasp} in
 * video entries, which camflow does not promise. Chrome, Safari, Firefox and hls.js do not look at
 * the brands (see {@code docs/fmp4.md}).
 */
public final class InitSegment {

  static final String MAJOR_BRAND = "iso6";
  static final List<String> COMPATIBLE_BRANDS = List.of("iso6", "iso5", "mp41");

  /** Movie timescale: only mvhd/tkhd durations use it, and those are 0 for a live stream. */
  private static final int MOVIE_TIMESCALE = 1000;

  /** 'und' in the packed ISO-639-2/T of mdhd: three 5-bit letters minus 0x60. */
  private static final int LANGUAGE_UNDETERMINED =
      (('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60);

  private static final int[] UNITY_MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

  private InitSegment() {}

  /**
   * Writes the init segment for these tracks, in this order.
   *
   * @throws IllegalArgumentException if there is no track, two tracks share an id, or a video
   *     track's parameter sets do not parse
   */
  public static byte[] write(List<TrackFormat> tracks) {
    Objects.requireNonNull(tracks, "tracks");
    if (tracks.isEmpty()) {
      throw new IllegalArgumentException("an init segment needs at least one track");
    }
    Set<Integer> ids = new HashSet<>();
    for (TrackFormat track : tracks) {
      Objects.requireNonNull(track, "track");
      if (!ids.add(track.trackId())) {
        throw new IllegalArgumentException("track id " + track.trackId() + " used twice");
      }
    }
    // Measure, then fill: one array, sized exactly, by the same code.
    BoxWriter measure = BoxWriter.measuring();
    write(measure, tracks);
    byte[] out = new byte[measure.position()];
    BoxWriter w = BoxWriter.into(out, 0);
    write(w, tracks);
    if (w.position() != out.length) {
      throw new IllegalStateException(
          "init segment measured " + out.length + " bytes, wrote " + w.position());
    }
    return out;
  }

  private static void write(BoxWriter w, List<TrackFormat> tracks) {
    int ftyp = w.begin("ftyp");
    w.fourcc(MAJOR_BRAND);
    w.u32(0); // minor_version
    for (String brand : COMPATIBLE_BRANDS) {
      w.fourcc(brand);
    }
    w.end(ftyp);

    int moov = w.begin("moov");
    writeMvhd(w, tracks);
    for (TrackFormat track : tracks) {
      writeTrak(w, track);
    }
    int mvex = w.begin("mvex");
    for (TrackFormat track : tracks) {
      int trex = w.beginFull("trex", 0, 0);
      w.u32(track.trackId());
      w.u32(1); // default_sample_description_index
      w.u32(0); // default_sample_duration: every trun carries its own
      w.u32(0); // default_sample_size
      w.u32(0); // default_sample_flags
      w.end(trex);
    }
    w.end(mvex);
    w.end(moov);
  }

  private static void writeMvhd(BoxWriter w, List<TrackFormat> tracks) {
    int maxId = 0;
    for (TrackFormat track : tracks) {
      maxId = Math.max(maxId, track.trackId());
    }
    int mvhd = w.beginFull("mvhd", 0, 0);
    w.u32(0); // creation_time
    w.u32(0); // modification_time
    w.u32(MOVIE_TIMESCALE);
    w.u32(0); // duration: unknown, live
    w.u32(0x00010000); // rate 1.0
    w.u16(0x0100); // volume 1.0
    w.zeros(2 + 8); // reserved
    matrix(w);
    w.zeros(24); // pre_defined
    w.u32(maxId == Integer.MAX_VALUE ? 0xFFFFFFFF : maxId + 1); // next_track_ID; all ones = search
    w.end(mvhd);
  }

  private static void writeTrak(BoxWriter w, TrackFormat track) {
    int trak = w.begin("trak");
    // flags: track_enabled | track_in_movie
    int tkhd = w.beginFull("tkhd", 0, 0x000003);
    w.u32(0); // creation_time
    w.u32(0); // modification_time
    w.u32(track.trackId());
    w.u32(0); // reserved
    w.u32(0); // duration
    w.zeros(8); // reserved
    w.u16(0); // layer
    w.u16(0); // alternate_group
    w.u16(track.isVideo() ? 0 : 0x0100); // volume: 1.0 for audio
    w.u16(0); // reserved
    matrix(w);
    w.u32(track.width() << 16); // 16.16 fixed point; square pixels assumed (no pasp)
    w.u32(track.height() << 16);
    w.end(tkhd);

    int mdia = w.begin("mdia");
    int mdhd = w.beginFull("mdhd", 0, 0);
    w.u32(0); // creation_time
    w.u32(0); // modification_time
    w.u32(track.timescale());
    w.u32(0); // duration
    w.u16(LANGUAGE_UNDETERMINED);
    w.u16(0); // pre_defined
    w.end(mdhd);

    int hdlr = w.beginFull("hdlr", 0, 0);
    w.u32(0); // pre_defined
    w.fourcc(track.isVideo() ? "vide" : "soun");
    w.zeros(12); // reserved
    String name = track.isVideo() ? "VideoHandler" : "SoundHandler";
    for (int i = 0; i < name.length(); i++) {
      w.u8(name.charAt(i));
    }
    w.u8(0); // null-terminated UTF-8
    w.end(hdlr);

    int minf = w.begin("minf");
    if (track.isVideo()) {
      int vmhd = w.beginFull("vmhd", 0, 1); // flags 1 is required
      w.zeros(8); // graphicsmode copy, opcolor
      w.end(vmhd);
    } else {
      int smhd = w.beginFull("smhd", 0, 0);
      w.zeros(4); // balance centre, reserved
      w.end(smhd);
    }
    int dinf = w.begin("dinf");
    int dref = w.beginFull("dref", 0, 0);
    w.u32(1); // entry_count
    int url = w.beginFull("url ", 0, 1); // flags 1: media data in this file
    w.end(url);
    w.end(dref);
    w.end(dinf);

    int stbl = w.begin("stbl");
    int stsd = w.beginFull("stsd", 0, 0);
    w.u32(1); // entry_count
    SampleEntry.write(w, track);
    w.end(stsd);
    emptyTable(w, "stts");
    emptyTable(w, "stsc");
    int stsz = w.beginFull("stsz", 0, 0);
    w.u32(0); // sample_size: per sample
    w.u32(0); // sample_count
    w.end(stsz);
    emptyTable(w, "stco");
    w.end(stbl);
    w.end(minf);
    w.end(mdia);
    w.end(trak);
  }

  private static void emptyTable(BoxWriter w, String type) {
    int box = w.beginFull(type, 0, 0);
    w.u32(0); // entry_count
    w.end(box);
  }

  private static void matrix(BoxWriter w) {
    for (int value : UNITY_MATRIX) {
      w.u32(value);
    }
  }
}
