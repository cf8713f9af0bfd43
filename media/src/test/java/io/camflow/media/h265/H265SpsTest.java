package io.camflow.media.h265;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.bits.BitWriter;
import io.camflow.media.testing.Bitstreams;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class H265SpsTest {

  /**
   * {@code ffprobe -v error -show_streams h265_720p25.h265}: hevc, profile=Main, 1280x720, yuv420p,
   * level=93, r_frame_rate=25/1. Raw fields from {@code ffmpeg -i h265_720p25.h265 -c:v copy -bsf:v
   * trace_headers -frames:v 1 -f null -}: compatibility flags 1 and 2, progressive + frame_only
   * constraint flags, no conformance window.
   */
  @Test
  void parsesMainProfile720p() {
    H265Sps sps = H265Sps.parse(Bitstreams.firstH265("h265_720p25.h265", H265NalType.SPS));
    assertEquals(0, sps.generalProfileSpace());
    assertEquals(0, sps.tier());
    assertEquals(1, sps.profileIdc());
    assertEquals(0x6000_0000, sps.profileCompatibilityFlags());
    assertEquals(0x9000_0000_0000L, sps.constraintIndicatorFlags());
    assertEquals(93, sps.levelIdc());
    assertEquals(0, sps.spsId());
    assertEquals(1, sps.chromaFormatIdc());
    assertEquals(8, sps.bitDepthLuma());
    assertEquals(8, sps.bitDepthChroma());
    assertEquals(1280, sps.width());
    assertEquals(720, sps.height());
    assertEquals(25.0, sps.frameRate(), 1e-9);
    assertEquals(2, sps.reorderDepth(), "sps_max_num_reorder_pics: x265 with 2 B-frames");
    assertEquals("hvc1.1.6.L93.90", sps.codecString());
    assertEquals(
        new VideoFormat(Codec.H265, 1280, 720, 25.0, "hvc1.1.6.L93.90"), sps.toVideoFormat());
  }

  /**
   * {@code ffprobe -v error -show_streams h265_564p30_main10.h265}: profile=Main 10, width=1000,
   * height=564, coded_height=568, pix_fmt=yuv420p10le, level=93, r_frame_rate=30/1. trace_headers:
   * conf_win_bottom_offset = 2 (in chroma rows: 4 luma rows), compatibility flag 2.
   */
  @Test
  void parsesMain10WithConformanceWindow() {
    H265Sps sps = H265Sps.parse(Bitstreams.firstH265("h265_564p30_main10.h265", H265NalType.SPS));
    assertEquals(2, sps.profileIdc());
    assertEquals(0x2000_0000, sps.profileCompatibilityFlags());
    assertEquals(10, sps.bitDepthLuma());
    assertEquals(10, sps.bitDepthChroma());
    assertEquals(1000, sps.width());
    assertEquals(564, sps.height());
    assertEquals(30.0, sps.frameRate(), 1e-9);
    assertEquals("hvc1.2.4.L93.90", sps.codecString());
  }

  /**
   * libx265 signals its reference picture sets in slice headers and uses none of the optional
   * tools, so this SPS is built by hand to walk sub-layers, scaling lists, PCM, predicted
   * short-term RPS and long-term references before the VUI. ffmpeg's trace_headers bitstream filter
   * reads the same fields from it.
   */
  @Test
  void walksEveryOptionalSpsStructureToTheVui() {
    H265Sps sps = H265Sps.parse(richSps());
    assertEquals(0, sps.generalProfileSpace());
    assertEquals(1, sps.tier());
    assertEquals(4, sps.profileIdc());
    assertEquals(150, sps.levelIdc());
    assertEquals(3, sps.spsId());
    assertEquals(2, sps.chromaFormatIdc());
    assertEquals(12, sps.bitDepthLuma());
    assertEquals(10, sps.bitDepthChroma());
    assertEquals(1912, sps.width());
    assertEquals(1080, sps.height());
    assertEquals(60000.0 / 1001, sps.frameRate(), 1e-9);
    assertEquals("hvc1.4.10.H150.99.8", sps.codecString());
    assertEquals(3, H265Sps.parseId(richSps()));
  }

  static byte[] richSps() {
    BitWriter w =
        new BitWriter()
            .bits(0, 4)
            .bits(2, 3)
            .flag(false) // vps id, max_sub_layers_minus1 = 2, nesting
            .bits(0, 2)
            .flag(true)
            .bits(4, 5) // profile space, High tier, RExt profile
            .bits(0x0800_0000L, 32) // compatibility flag 4
            .bits(
                0x9908_0000_0000L,
                48) // progressive, frame only, max_12bit, max_422, lower_bit_rate
            .bits(150, 8) // level 5.0
            .flag(true)
            .flag(true)
            .flag(false)
            .flag(true) // sub-layer 0: profile+level, sub-layer 1: level
            .bits(0, 12) // reserved_zero_2bits x 6
            .bits(0, 2)
            .flag(false)
            .bits(4, 5)
            .bits(0x0800_0000L, 32)
            .bits(0x9908_0000_0000L, 48) // sub-layer 0 profile
            .bits(0x5A, 8)
            .bits(0x1E, 8) // sub-layer 0 and 1 levels
            .ue(3) // sps id
            .ue(2) // chroma 4:2:2
            .ue(1920)
            .ue(1088)
            .flag(true)
            .ue(0)
            .ue(4)
            .ue(0)
            .ue(8) // conformance window: 8 columns right, 8 rows bottom
            .ue(4)
            .ue(2) // 12-bit luma, 10-bit chroma
            .ue(4) // log2_max_pic_order_cnt_lsb_minus4: 8 bits
            .flag(true)
            .ue(4)
            .ue(2)
            .ue(3)
            .ue(4)
            .ue(2)
            .ue(3)
            .ue(4)
            .ue(2)
            .ue(3) // ordering info for 3 sub-layers
            .ue(0)
            .ue(3)
            .ue(0)
            .ue(3)
            .ue(1)
            .ue(1) // block sizes, hierarchy depths
            .flag(true)
            .flag(true); // scaling lists enabled and present
    for (int sizeId = 0; sizeId < 4; sizeId++) {
      for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
        boolean explicit = matrixId == 0 || sizeId == 3;
        w.flag(explicit);
        if (!explicit) {
          w.ue(1); // copy from the previous matrix
        } else {
          if (sizeId > 1) {
            w.se(8); // dc
          }
          for (int i = 0; i < Math.min(64, 1 << (4 + (sizeId << 1))); i++) {
            w.se(i % 3 - 1);
          }
        }
      }
    }
    w.flag(false)
        .flag(true) // amp, sao
        .flag(true)
        .bits(7, 4)
        .bits(7, 4)
        .ue(0)
        .ue(1)
        .flag(true) // PCM
        .ue(3) // three short-term RPS
        .ue(2)
        .ue(1)
        .ue(0)
        .flag(true)
        .ue(1)
        .flag(true)
        .ue(0)
        .flag(false) // RPS 0: 2 negative, 1 positive
        .flag(true)
        .flag(false)
        .ue(0) // RPS 1: predicted from RPS 0 with delta +1
        .flag(true)
        .flag(false)
        .flag(true)
        .flag(false)
        .flag(false)
        .flag(true) // 4 flag sets -> {-2}, {+1}:
        // -1 + 1 = 0 is dropped despite its flags
        .flag(true)
        .flag(true)
        .ue(1) // RPS 2: predicted from RPS 1 with delta -2
        .flag(true)
        .flag(true)
        .flag(false)
        .flag(false) // 3 flag sets, not 4
        .flag(true)
        .ue(2)
        .bits(17, 8)
        .flag(true)
        .bits(200, 8)
        .flag(false) // two long-term pictures
        .flag(true)
        .flag(false) // temporal MVP, strong intra smoothing
        .flag(true) // vui_parameters_present_flag
        .flag(true)
        .bits(1, 8) // aspect ratio 1:1
        .flag(false) // overscan
        .flag(true)
        .bits(5, 3)
        .flag(false)
        .flag(true)
        .bits(9, 8)
        .bits(16, 8)
        .bits(9, 8) // video signal
        .flag(true)
        .ue(1)
        .ue(1) // chroma location
        .flag(false)
        .flag(false)
        .flag(false) // neutral chroma, field_seq, frame_field_info
        .flag(true)
        .ue(0)
        .ue(0)
        .ue(2)
        .ue(2) // default display window
        .flag(true)
        .bits(1001, 32)
        .bits(60000, 32) // timing: 59.94 fps
        .flag(false)
        .flag(false) // poc proportional, hrd
        .flag(false) // bitstream restriction
        .flag(false); // sps_extension_present_flag
    return BitWriter.nal(new byte[] {0x42, 0x01}, w.rbsp());
  }

  @Test
  void codecStringCarriesProfileSpaceAndOmitsOnlyTrailingZeroBytes() {
    H265Sps sps =
        new H265Sps(1, 0, 1, 0x6000_0000, 0xB000_0000_0000L, 120, 0, 1, 8, 8, 1920, 1080, 30, 0);
    assertEquals("hvc1.A1.6.L120.B0", sps.codecString());
    H265Sps inner =
        new H265Sps(0, 1, 2, 0x2000_0000, 0x0000_0100_0000L, 153, 0, 1, 10, 10, 3840, 2160, 0, 0);
    assertEquals("hvc1.2.4.H153.0.0.1", inner.codecString());
    H265Sps none = new H265Sps(3, 0, 1, 0, 0, 30, 0, 1, 8, 8, 64, 64, 0, 0);
    assertEquals("hvc1.C1.0.L30", none.codecString());
  }

  @Test
  void truncatedVuiMeansUnknownFrameRate() {
    byte[] full = Bitstreams.firstH265("h265_720p25.h265", H265NalType.SPS);
    // trace_headers puts vui_num_units_in_tick at bits 231..262 after the header: cut inside it
    H265Sps sps = H265Sps.parse(Arrays.copyOf(full, 2 + 30));
    assertEquals(1280, sps.width());
    assertEquals(0, sps.frameRate());
  }

  @Test
  void rejectsWhatIsNotAnSps() {
    byte[] vps = Bitstreams.firstH265("h265_720p25.h265", H265NalType.VPS);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> H265Sps.parse(vps));
    assertTrue(e.getMessage().startsWith("not an H.265 SPS NAL unit (type 32"), e.getMessage());
    byte[] sps = Bitstreams.firstH265("h265_720p25.h265", H265NalType.SPS);
    assertThrows(IllegalArgumentException.class, () -> H265Sps.parse(Arrays.copyOf(sps, 12)));
    assertThrows(IllegalArgumentException.class, () -> H265Sps.parse(new byte[] {0x42, 0x01}));
  }

  @Test
  void readsParameterSetsFromHevcDecoderConfigurationRecord() {
    // hvcC of `ffmpeg -i h265_720p25.h265 -c:v copy -tag:v hvc1 out.mp4`
    byte[] hvcC = Bitstreams.resource("h265_720p25.hvcC");
    List<byte[]> sets = H265Sps.parseHevcDecoderConfigurationRecord(hvcC);
    assertEquals(3, sets.size());
    assertArrayEquals(Bitstreams.firstH265("h265_720p25.h265", H265NalType.VPS), sets.get(0));
    assertArrayEquals(Bitstreams.firstH265("h265_720p25.h265", H265NalType.SPS), sets.get(1));
    assertArrayEquals(Bitstreams.firstH265("h265_720p25.h265", H265NalType.PPS), sets.get(2));
    assertEquals(4, HevcDecoderConfigurationRecord.parse(hvcC).nalLengthSize());
    assertThrows(
        IllegalArgumentException.class,
        () -> H265Sps.parseHevcDecoderConfigurationRecord(Arrays.copyOf(hvcC, hvcC.length - 1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> H265Sps.parseHevcDecoderConfigurationRecord(new byte[] {0}));
  }

  @Test
  void nalTypeHelpers() {
    assertEquals(H265NalType.VPS, H265NalType.type((byte) 0x40));
    assertEquals(H265NalType.SPS, H265NalType.type((byte) 0x42));
    assertEquals(H265NalType.IDR_W_RADL, H265NalType.type((byte) 0x26));
    for (int type = 0; type < 64; type++) {
      assertEquals(type >= 16 && type <= 23, H265NalType.isIrap(type), "IRAP " + type);
      assertEquals(type < 32, H265NalType.isVcl(type), "VCL " + type);
    }
    assertTrue(H265NalType.isParameterSet(34));
    assertFalse(H265NalType.isParameterSet(35));
    assertEquals(-1, H265NalType.type(new byte[0]));
  }
}
