package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.AvcDecoderConfigurationRecord;
import io.camflow.media.h265.HevcDecoderConfigurationRecord;
import io.camflow.media.testing.Bitstreams;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Box layout of init segments, down to the bytes where a known-good reference exists. */
class InitSegmentTest {

  private static final String STSD = "moov/trak/mdia/minf/stbl/stsd/";

  @Test
  void videoAndAudioTracksHaveTheDocumentedBoxes() {
    byte[] init = InitSegment.write(List.of(h264Track(1), aacTrack(2)));
    String expected =
        """
        ftyp
        moov
          mvhd
          trak
            tkhd
            mdia
              mdhd
              hdlr
              minf
                vmhd
                dinf
                  dref
                    url\s
                stbl
                  stsd
                    avc1
                      avcC
                  stts
                  stsc
                  stsz
                  stco
          trak
            tkhd
            mdia
              mdhd
              hdlr
              minf
                smhd
                dinf
                  dref
                    url\s
                stbl
                  stsd
                    mp4a
                      esds
                  stts
                  stsc
                  stsz
                  stco
          mvex
            trex
            trex
        """;
    assertEquals(expected, types(Mp4Boxes.parse(init), 0));
    // the boxes tile the array exactly
    List<Mp4Boxes.Box> top = Mp4Boxes.parse(init);
    assertEquals(init.length, top.get(1).end());
  }

  @Test
  void ftypNamesIso6Iso5Mp41() {
    byte[] init = InitSegment.write(List.of(h264Track(1)));
    assertEquals(
        "0000001c" + "66747970" + "69736f36" + "00000000" + "69736f36" + "69736f35" + "6d703431",
        HexFormat.of().formatHex(init, 0, 28));
  }

  @Test
  void movieAndTrackHeadersCarryIdsSizesAndTimescales() {
    byte[] init = InitSegment.write(List.of(h264Track(3), aacTrack(7)));
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(init);

    ByteBuffer mvhd = body(init, Mp4Boxes.find(boxes, "moov/mvhd").orElseThrow());
    assertEquals(0, mvhd.get(0)); // version 0
    assertEquals(1000, mvhd.getInt(12));
    assertEquals(0, mvhd.getInt(16)); // duration unknown: live
    assertEquals(8, mvhd.getInt(96)); // next_track_ID = highest id + 1

    List<Mp4Boxes.Box> traks = Mp4Boxes.findAll(boxes, "moov/trak");
    ByteBuffer videoTkhd = body(init, traks.get(0).find("tkhd").orElseThrow());
    assertEquals(3, videoTkhd.getInt(0) & 0xFFFFFF); // flags: enabled | in movie
    assertEquals(3, videoTkhd.getInt(12)); // track_ID
    assertEquals(0, videoTkhd.getShort(36)); // volume 0 for video
    assertEquals(320 << 16, videoTkhd.getInt(76)); // width 16.16
    assertEquals(240 << 16, videoTkhd.getInt(80)); // height 16.16
    ByteBuffer audioTkhd = body(init, traks.get(1).find("tkhd").orElseThrow());
    assertEquals(7, audioTkhd.getInt(12));
    assertEquals(0x0100, audioTkhd.getShort(36)); // volume 1.0
    assertEquals(0, audioTkhd.getInt(76));
    assertEquals(0, audioTkhd.getInt(80));

    ByteBuffer videoMdhd = body(init, traks.get(0).find("mdia/mdhd").orElseThrow());
    assertEquals(90000, videoMdhd.getInt(12));
    assertEquals(0x55C4, videoMdhd.getShort(20) & 0xFFFF); // 'und'
    assertEquals(48000, body(init, traks.get(1).find("mdia/mdhd").orElseThrow()).getInt(12));

    assertEquals("vide", fourcc(body(init, traks.get(0).find("mdia/hdlr").orElseThrow()), 8));
    assertEquals("soun", fourcc(body(init, traks.get(1).find("mdia/hdlr").orElseThrow()), 8));
    assertEquals(
        1, body(init, traks.get(0).find("mdia/minf/vmhd").orElseThrow()).getInt(0)); // flags 1

    List<Mp4Boxes.Box> trex = Mp4Boxes.findAll(boxes, "moov/mvex/trex");
    assertEquals(3, body(init, trex.get(0)).getInt(4));
    assertEquals(7, body(init, trex.get(1)).getInt(4));
    assertEquals(1, body(init, trex.get(1)).getInt(8)); // default_sample_description_index
  }

  @Test
  void sampleTablesAreEmpty() {
    byte[] init = InitSegment.write(List.of(h264Track(1)));
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(init);
    for (String table : List.of("stts", "stsc", "stco")) {
      Mp4Boxes.Box box = Mp4Boxes.find(boxes, "moov/trak/mdia/minf/stbl/" + table).orElseThrow();
      assertEquals(16, box.size(), table);
      assertEquals(0, body(init, box).getInt(4), table + " entry_count");
    }
    Mp4Boxes.Box stsz = Mp4Boxes.find(boxes, "moov/trak/mdia/minf/stbl/stsz").orElseThrow();
    assertEquals(20, stsz.size());
    assertEquals(0, body(init, stsz).getInt(8)); // sample_count
  }

  @Test
  void avc1EntryHasThePictureSize() {
    byte[] init = InitSegment.write(List.of(h264Track(1)));
    ByteBuffer avc1 = body(init, Mp4Boxes.find(Mp4Boxes.parse(init), STSD + "avc1").orElseThrow());
    assertEquals(1, avc1.getShort(6)); // data_reference_index
    assertEquals(320, avc1.getShort(24));
    assertEquals(240, avc1.getShort(26));
    assertEquals(0x00480000, avc1.getInt(28));
    assertEquals(1, avc1.getShort(40)); // frame_count
    assertEquals(0x18, avc1.getShort(74)); // depth
    assertEquals(-1, avc1.getShort(76));
  }

  /** High profile (with the chroma/bit-depth trailer) and Constrained Baseline (without). */
  @Test
  void avcCIsByteForByteWhatFfmpegWrites() {
    for (String fixture : List.of("h264_bframes.mp4", "h264_baseline.mp4")) {
      byte[] theirs = ffmpegRecord(fixture, "avc1/avcC");
      TrackFormat track =
          TrackFormat.video(
              1,
              Codec.H264,
              AnnexB.join(AvcDecoderConfigurationRecord.parse(theirs).parameterSets()));
      assertArrayEquals(theirs, record(InitSegment.write(List.of(track)), "avc1/avcC"), fixture);
    }
    // and for the 720p stream of the bitstream tests (ffmpeg -c:v copy of an Annex-B file)
    byte[] avcC = Bitstreams.resource("h264_720p25.avcC");
    TrackFormat track =
        TrackFormat.video(
            1, Codec.H264, AnnexB.join(AvcDecoderConfigurationRecord.parse(avcC).parameterSets()));
    assertArrayEquals(avcC, record(InitSegment.write(List.of(track)), "avc1/avcC"));
  }

  @Test
  void hvcCIsByteForByteWhatFfmpegWrites() {
    byte[] hvcC = Bitstreams.resource("h265_720p25.hvcC");
    TrackFormat track =
        TrackFormat.video(
            1, Codec.H265, AnnexB.join(HevcDecoderConfigurationRecord.parse(hvcC).parameterSets()));
    assertArrayEquals(hvcC, record(InitSegment.write(List.of(track)), "hvc1/hvcC"));
  }

  /**
   * FFmpeg's hvcC of the B-frame fixture has a fourth array, x265's SEI, which a camera's parameter
   * sets do not have: the header (but numOfArrays) and the VPS/SPS/PPS arrays match.
   */
  @Test
  void hvcCMatchesFfmpegApartFromItsSeiArray() {
    byte[] theirs = ffmpegRecord("h265_bframes.mp4", "hvc1/hvcC");
    byte[] mine =
        record(
            InitSegment.write(
                List.of(Fixtures.video("h265_bframes.mp4", Codec.H265, 1, 0).format())),
            "hvc1/hvcC");
    assertArrayEquals(Arrays.copyOf(theirs, 22), Arrays.copyOf(mine, 22), "header");
    assertEquals(4, theirs[22]);
    assertEquals(3, mine[22]);
    assertArrayEquals(
        Arrays.copyOfRange(theirs, 23, mine.length),
        Arrays.copyOfRange(mine, 23, mine.length),
        "VPS, SPS and PPS arrays");
    assertEquals(0xA0, mine[23] & 0xFF); // complete VPS array
  }

  @Test
  void mp4aEntryAndEsdsCarryTheAudioSpecificConfig() {
    byte[] asc = {0x11, (byte) 0x90}; // AAC-LC, 48 kHz, stereo
    byte[] init = InitSegment.write(List.of(TrackFormat.aac(1, asc)));
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(init);
    ByteBuffer mp4a = body(init, Mp4Boxes.find(boxes, STSD + "mp4a").orElseThrow());
    assertEquals(1, mp4a.getShort(6)); // data_reference_index
    assertEquals(2, mp4a.getShort(16)); // channelcount
    assertEquals(16, mp4a.getShort(18)); // samplesize
    assertEquals(48000 << 16, mp4a.getInt(24)); // samplerate 16.16

    byte[] esds = record(init, "mp4a/esds");
    assertEquals(
        "00000000" // version, flags
            + "03"
            + "19"
            + "0000"
            + "00" // ES_Descriptor, 25 bytes: ES_ID 0, flags 0
            + "04"
            + "11"
            + "40"
            + "15"
            + "000000"
            + "00000000"
            + "00000000" // DecoderConfig: MPEG-4 audio stream
            + "05"
            + "02"
            + "1190" // DecoderSpecificInfo: the AudioSpecificConfig
            + "06"
            + "01"
            + "02", // SLConfig: predefined MP4
        HexFormat.of().formatHex(esds));
    assertArrayEquals(asc, Fixtures.decoderSpecificInfo(esds));
  }

  @Test
  void sampleRatesAbove16BitsAreZeroInTheEntry() {
    byte[] asc = {0x10, 0x10}; // AAC-LC, 96 kHz (index 0), stereo
    byte[] init = InitSegment.write(List.of(TrackFormat.aac(1, asc)));
    ByteBuffer mp4a = body(init, Mp4Boxes.find(Mp4Boxes.parse(init), STSD + "mp4a").orElseThrow());
    assertEquals(0, mp4a.getInt(24));
    assertEquals(
        96000,
        body(init, Mp4Boxes.find(Mp4Boxes.parse(init), "moov/trak/mdia/mdhd").orElseThrow())
            .getInt(12));
  }

  @Test
  void g711EntriesAreUlawAndAlaw() {
    byte[] init =
        InitSegment.write(
            List.of(
                TrackFormat.g711(1, Codec.PCMU, 8000, 1),
                TrackFormat.g711(2, Codec.PCMA, 16000, 2)));
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(init);
    List<Mp4Boxes.Box> entries =
        Mp4Boxes.findAll(boxes, "moov/trak/mdia/minf/stbl/stsd").stream()
            .map(stsd -> stsd.children().get(0))
            .toList();
    assertEquals("ulaw", entries.get(0).type());
    assertEquals("alaw", entries.get(1).type());
    assertEquals(36, entries.get(0).size()); // no child box
    ByteBuffer alaw = body(init, entries.get(1));
    assertEquals(2, alaw.getShort(16));
    assertEquals(16000 << 16, alaw.getInt(24));
  }

  @Test
  void sameTracksSameBytes() {
    List<TrackFormat> tracks = List.of(h264Track(1), aacTrack(2));
    assertArrayEquals(InitSegment.write(tracks), InitSegment.write(List.copyOf(tracks)));
  }

  @Test
  void rejectsNoTrackAndRepeatedIds() {
    assertThrows(IllegalArgumentException.class, () -> InitSegment.write(List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> InitSegment.write(List.of(h264Track(1), aacTrack(1))));
    assertThrows(NullPointerException.class, () -> InitSegment.write(null));
  }

  // --- helpers ---

  static TrackFormat h264Track(int id) {
    return Fixtures.video("h264_bframes.mp4", Codec.H264, id, 0).format();
  }

  static TrackFormat aacTrack(int id) {
    return TrackFormat.aac(id, new byte[] {0x11, (byte) 0x88}); // AAC-LC 48 kHz mono
  }

  /** The payload of a decoder configuration box in an init segment. */
  private static byte[] record(byte[] init, String entryAndBox) {
    return Mp4Boxes.payload(
        init, Mp4Boxes.find(Mp4Boxes.parse(init), STSD + entryAndBox).orElseThrow());
  }

  private static byte[] ffmpegRecord(String fixture, String entryAndBox) {
    byte[] file = Fixtures.bytes(fixture);
    return Mp4Boxes.payload(
        file, Mp4Boxes.find(Mp4Boxes.parse(file), STSD + entryAndBox).orElseThrow());
  }

  private static ByteBuffer body(byte[] data, Mp4Boxes.Box box) {
    return ByteBuffer.wrap(Mp4Boxes.payload(data, box));
  }

  private static String fourcc(ByteBuffer buffer, int at) {
    byte[] code = new byte[4];
    buffer.get(at, code);
    return new String(code, StandardCharsets.ISO_8859_1);
  }

  private static String types(List<Mp4Boxes.Box> boxes, int depth) {
    StringBuilder out = new StringBuilder();
    for (Mp4Boxes.Box box : boxes) {
      out.append("  ".repeat(depth))
          .append(box.type())
          .append('\n')
          .append(types(box.children(), depth + 1));
    }
    return out.toString();
  }
}
