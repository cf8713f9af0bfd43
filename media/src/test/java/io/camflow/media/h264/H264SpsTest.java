package io.camflow.media.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.bits.BitWriter;
import io.camflow.media.testing.Bitstreams;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H264SpsTest {

  /**
   * Expected values from {@code ffprobe -v error -show_streams <file>} (profile, level, width,
   * height, pix_fmt, field_order, r_frame_rate) and, for the raw SPS fields, {@code ffmpeg -i
   * <file> -c:v copy -bsf:v trace_headers -frames:v 1 -f null -}.
   */
  @ParameterizedTest
  @CsvSource({
    // file,                      profile, constraints, level, chroma, frameMbsOnly, width, height,
    // fps, codec string, reorder
    "h264_720p25_aud.h264,        100,     0,           31,    1,      true,         1280,  720,    25, avc1.64001f, 2",
    "h264_1080p30_cqm.h264,       100,     0,           40,    1,      true,         1920,  1080,   30, avc1.640028, 2",
    "h264_240p15_baseline.h264,   66,      192,         12,    1,      true,         320,   240,    15, avc1.42c00c, 0",
    "h264_768p10_444.h264,        244,     0,           32,    3,      true,         1366,  768,    10, avc1.f40020, 2",
    "h264_1080i25_422.h264,       122,     0,           40,    2,      false,        1920,  1080,   25, avc1.7a0028, 2",
  })
  void parsesRealSpsLikeFfprobe(
      String file,
      int profile,
      int constraints,
      int level,
      int chroma,
      boolean frameMbsOnly,
      int width,
      int height,
      double fps,
      String codecString,
      int reorder) {
    H264Sps sps = H264Sps.parse(Bitstreams.firstH264(file, H264NalType.SPS));
    assertEquals(profile, sps.profileIdc());
    assertEquals(constraints, sps.constraintFlags());
    assertEquals(level, sps.levelIdc());
    assertEquals(0, sps.spsId());
    assertEquals(chroma, sps.chromaFormatIdc());
    assertEquals(8, sps.bitDepthLuma());
    assertEquals(8, sps.bitDepthChroma());
    assertEquals(frameMbsOnly, sps.frameMbsOnly());
    assertEquals(width, sps.width());
    assertEquals(height, sps.height());
    assertEquals(fps, sps.frameRate(), 1e-9);
    assertEquals(codecString, sps.codecString());
    assertEquals(reorder, sps.reorderDepth(), "max_num_reorder_frames as trace_headers reads it");
    assertEquals(new VideoFormat(Codec.H264, width, height, fps, codecString), sps.toVideoFormat());
    assertEquals(0, H264Sps.parseId(Bitstreams.firstH264(file, H264NalType.SPS)));
  }

  @Test
  void walksScalingMatricesPocType1AndFullVui() {
    // x264 puts its matrices into the PPS, so a High-profile SPS with
    // seq_scaling_matrix_present_flag
    // is built here; ffmpeg's trace_headers reads it as 1920x1080, 30000/1001 fps.
    byte[] nal =
        BitWriter.nal(
            new byte[] {0x67},
            new BitWriter()
                .bits(100, 8)
                .bits(0, 8)
                .bits(40, 8)
                .ue(1) // profile, constraints, level, sps id
                .ue(1)
                .ue(2)
                .ue(2)
                .flag(false) // chroma 4:2:0, 10-bit luma/chroma
                .flag(true) // seq_scaling_matrix_present_flag
                .flag(true)
                .se(8)
                .se(-16) // 4x4 list 0: ends early (next scale 0)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(true)
                .apply(w -> repeat(w, 64, 1)) // 8x8 list 6: all 64 deltas
                .flag(false)
                .ue(0)
                .ue(1)
                .flag(false)
                .se(-2)
                .se(3)
                .ue(2)
                .se(1)
                .se(-1) // frame_num, POC type 1 with a cycle
                .ue(4)
                .flag(false)
                .ue(119)
                .ue(67)
                .flag(true)
                .flag(true) // refs, 120x68 MBs, frame_mbs_only
                .flag(true)
                .ue(0)
                .ue(0)
                .ue(0)
                .ue(4) // crop 8 lines at the bottom
                .flag(true) // vui_parameters_present_flag
                .flag(true)
                .bits(255, 8)
                .bits(1, 16)
                .bits(1, 16) // Extended_SAR 1:1
                .flag(true)
                .flag(false) // overscan
                .flag(true)
                .bits(5, 3)
                .flag(false)
                .flag(true)
                .bits(0x010101, 24) // video signal, colour
                .flag(true)
                .ue(0)
                .ue(0) // chroma location
                .flag(true)
                .bits(1001, 32)
                .bits(60000, 32)
                .flag(true) // timing: 29.97 fps
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false) // HRD, pic_struct, bitstream restriction
                .rbsp());
    H264Sps sps = H264Sps.parse(nal);
    assertEquals(1, sps.spsId());
    assertEquals(10, sps.bitDepthLuma());
    assertEquals(10, sps.bitDepthChroma());
    assertEquals(1920, sps.width());
    assertEquals(1080, sps.height());
    assertEquals(30000.0 / 1001, sps.frameRate(), 1e-9);
    assertEquals("avc1.640028", sps.codecString());
  }

  @Test
  void readsMaxNumReorderFramesPastHrdParameters() {
    // a VUI with NAL HRD parameters (two CPB specs) before bitstream_restriction, as broadcast
    // encoders write it; max_num_reorder_frames = 3
    byte[] nal =
        BitWriter.nal(
            new byte[] {0x67},
            new BitWriter()
                .bits(77, 8)
                .bits(0, 8)
                .bits(40, 8)
                .ue(0) // Main, level 4, sps id 0
                .ue(0)
                .ue(0)
                .ue(0) // frame_num bits, POC type 0, POC lsb bits
                .ue(4)
                .flag(false)
                .ue(119)
                .ue(67)
                .flag(true)
                .flag(true)
                .flag(false) // 1920x1088, frames
                .flag(true) // vui_parameters_present_flag
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(true)
                .bits(1, 32)
                .bits(50, 32)
                .flag(true) // timing: 25 fps
                .flag(true)
                .ue(1)
                .bits(4, 4)
                .bits(6, 4) // nal_hrd: two CPBs
                .ue(1000)
                .ue(2000)
                .flag(false)
                .ue(3000)
                .ue(4000)
                .flag(true)
                .bits(23, 5)
                .bits(23, 5)
                .bits(23, 5)
                .bits(24, 5)
                .flag(false) // vcl_hrd
                .flag(false) // low_delay_hrd_flag
                .flag(false) // pic_struct_present_flag
                .flag(true)
                .flag(true)
                .ue(2)
                .ue(1)
                .ue(16)
                .ue(16)
                .ue(3)
                .ue(4) // bitstream restriction
                .rbsp());
    H264Sps sps = H264Sps.parse(nal);
    assertEquals(25.0, sps.frameRate(), 1e-9);
    assertEquals(3, sps.reorderDepth());
  }

  /**
   * Without bitstream_restriction H.264 E.2.1 infers MaxDpbFrames: MaxDpbMbs of the level (Table
   * A-1) over the frame size in macroblocks, at most 16 — except where output order is decoding
   * order (POC type 2), in Baseline (no B slices) and in the intra profiles.
   */
  @ParameterizedTest
  @CsvSource({
    // profile, constraints, level, pocType, widthMbs, heightMbs, expected
    "100, 0,    40, 0, 120, 68, 4", // 1080p at level 4: 32768 / 8160
    "77,  0,    31, 0, 80,  45, 5", // 720p at level 3.1: 18000 / 3600
    "100, 0,    30, 0, 40,  23, 8", // 640x368 at level 3: 8100 / 920
    "100, 0,    51, 0, 20,  15, 16", // small picture at a high level: capped at 16
    "77,  0x10, 11, 0, 11,  9,  4", // level 1b (constraint_set3 at level 11): 396 / 99
    "100, 0,    99, 0, 120, 68, 16", // a level Table A-1 does not know: the most a DPB holds
    "100, 0,    40, 2, 120, 68, 0", // POC type 2: output order is decoding order
    "66,  0xC0, 31, 0, 80,  45, 0", // constrained baseline
    "100, 0x10, 40, 0, 120, 68, 0", // High 10 Intra style: intra profile with constraint_set3
  })
  void infersReorderDepthWhenTheVuiDoesNotStateIt(
      int profile,
      int constraints,
      int level,
      int pocType,
      int widthMbs,
      int heightMbs,
      int expected) {
    BitWriter w = new BitWriter().bits(profile, 8).bits(constraints, 8).bits(level, 8).ue(0);
    if (profile == 100) {
      w.ue(1).ue(0).ue(0).flag(false).flag(false); // 4:2:0, 8 bit, no bypass, no matrices
    }
    w.ue(0).ue(pocType);
    if (pocType == 0) {
      w.ue(0);
    }
    byte[] nal =
        BitWriter.nal(
            new byte[] {0x67},
            w.ue(2)
                .flag(false)
                .ue(widthMbs - 1)
                .ue(heightMbs - 1)
                .flag(true)
                .flag(true)
                .flag(false)
                .flag(true)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false) // VUI without anything up to timing
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false)
                .flag(false) // no timing, HRD, pic_struct, restriction
                .rbsp());
    assertEquals(expected, H264Sps.parse(nal).reorderDepth());
  }

  @Test
  void emulationPreventionBytesAreRemovedBeforeParsing() {
    // level 0 and sps id 0 put two zero bytes in a row; the encoder then escapes what follows
    byte[] rbsp =
        new BitWriter()
            .bits(66, 8)
            .bits(0, 8)
            .bits(0, 8)
            .ue(0)
            .ue(0)
            .ue(2)
            .ue(1)
            .flag(false)
            .ue(19)
            .ue(14)
            .flag(true)
            .flag(true)
            .flag(false)
            .flag(false)
            .rbsp();
    byte[] nal = BitWriter.nal(new byte[] {0x67}, rbsp);
    H264Sps sps = H264Sps.parse(nal);
    assertEquals(320, sps.width());
    assertEquals(240, sps.height());
    assertEquals(0, sps.frameRate());
    assertEquals("avc1.420000", sps.codecString());
  }

  @Test
  void truncatedVuiMeansUnknownFrameRateNotABadSps() {
    byte[] sps = Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.SPS);
    // cut inside the timing info: size is still known
    byte[] cut = Arrays.copyOf(sps, 14);
    H264Sps parsed = H264Sps.parse(cut);
    assertEquals(1280, parsed.width());
    assertEquals(0, parsed.frameRate());
  }

  @Test
  void rejectsWhatIsNotAnSps() {
    byte[] pps = Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.PPS);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> H264Sps.parse(pps));
    assertEquals("not an H.264 SPS NAL unit (type 8, " + pps.length + " bytes)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> H264Sps.parse(new byte[] {0x67}));
    assertThrows(IllegalArgumentException.class, () -> H264Sps.parse(new byte[0]));
    byte[] sps = Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.SPS);
    assertThrows(IllegalArgumentException.class, () -> H264Sps.parse(Arrays.copyOf(sps, 6)));
  }

  @Test
  void rejectsCroppingThatLeavesNoPicture() {
    byte[] nal =
        BitWriter.nal(
            new byte[] {0x67},
            new BitWriter()
                .bits(66, 8)
                .bits(0xC0, 8)
                .bits(30, 8)
                .ue(0)
                .ue(0)
                .ue(0)
                .ue(0)
                .ue(1)
                .flag(false)
                .ue(0)
                .ue(0)
                .flag(true)
                .flag(true)
                .flag(true)
                .ue(4)
                .ue(4)
                .ue(0)
                .ue(0)
                .flag(false)
                .rbsp());
    assertThrows(IllegalArgumentException.class, () -> H264Sps.parse(nal));
  }

  @Test
  void readsParameterSetsFromAvcDecoderConfigurationRecord() {
    // avcC of `ffmpeg -i h264_720p25_aud.h264 -c:v copy out.mp4`: the stream's own SPS/PPS
    byte[] avcC = Bitstreams.resource("h264_720p25.avcC");
    List<byte[]> sets = H264Sps.parseAvcDecoderConfigurationRecord(avcC);
    assertEquals(2, sets.size());
    assertArrayEquals(Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.SPS), sets.get(0));
    assertArrayEquals(Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.PPS), sets.get(1));
    AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(avcC);
    assertEquals(4, record.nalLengthSize());
    assertEquals(100, record.profileIdc());
    assertEquals(31, record.levelIdc());
  }

  @Test
  void buildsAvcDecoderConfigurationRecordBySpecLayout() {
    byte[] sps = Bitstreams.firstH264("h264_240p15_baseline.h264", H264NalType.SPS);
    byte[] pps = Bitstreams.firstH264("h264_240p15_baseline.h264", H264NalType.PPS);
    ByteArrayOutputStream avcC = new ByteArrayOutputStream();
    avcC.writeBytes(
        new byte[] {1, sps[1], sps[2], sps[3], (byte) 0xFD, (byte) 0xE1}); // 2-byte lengths, 1 SPS
    avcC.writeBytes(new byte[] {0, (byte) sps.length});
    avcC.writeBytes(sps);
    avcC.writeBytes(new byte[] {1, 0, (byte) pps.length});
    avcC.writeBytes(pps);
    AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(avcC.toByteArray());
    assertEquals(2, record.nalLengthSize());
    assertArrayEquals(sps, record.sps().get(0));
    assertArrayEquals(pps, record.pps().get(0));
  }

  @Test
  void rejectsBadAvcDecoderConfigurationRecords() {
    byte[] avcC = Bitstreams.resource("h264_720p25.avcC");
    assertThrows(
        IllegalArgumentException.class,
        () -> H264Sps.parseAvcDecoderConfigurationRecord(Arrays.copyOf(avcC, 20)));
    byte[] version2 = avcC.clone();
    version2[0] = 2;
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> H264Sps.parseAvcDecoderConfigurationRecord(version2));
    assertEquals("avcC configurationVersion must be 1, was 2", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> H264Sps.parseAvcDecoderConfigurationRecord(new byte[0]));
  }

  @Test
  void nalTypeHelpers() {
    assertEquals(H264NalType.IDR_SLICE, H264NalType.type((byte) 0x65));
    assertEquals(H264NalType.SPS, H264NalType.type((byte) 0x67));
    assertEquals(-1, H264NalType.type(new byte[0]));
    assertEquals(
        true,
        H264NalType.isVcl(1)
            && H264NalType.isVcl(5)
            && !H264NalType.isVcl(6)
            && !H264NalType.isVcl(0));
    assertEquals(true, H264NalType.isIdr(5) && !H264NalType.isIdr(1));
    assertEquals(
        true,
        H264NalType.isParameterSet(7)
            && H264NalType.isParameterSet(8)
            && !H264NalType.isParameterSet(9));
  }

  private static BitWriter repeat(BitWriter w, int times, int delta) {
    for (int i = 0; i < times; i++) {
      w.se(delta);
    }
    return w;
  }
}
