package io.camflow.media.h264;

import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.bits.BitReader;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1) that camflow needs:
 * identity for the codec string, and the displayed size and frame rate.
 *
 * @param constraintFlags the whole byte after profile_idc: constraint_set0..5 flags and 2 reserved
 *     bits
 * @param width displayed width: coded macroblocks minus the cropping window
 * @param height displayed height: coded macroblocks minus the cropping window
 * @param frameRate {@code time_scale / (2 * num_units_in_tick)} from the VUI, 0 if absent
 * @param reorderDepth how many frames may precede a frame in decoding order and follow it in output
 *     order (B-frames): see {@link #reorderDepth()}
 */
public record H264Sps(
    int profileIdc,
    int constraintFlags,
    int levelIdc,
    int spsId,
    int chromaFormatIdc,
    int bitDepthLuma,
    int bitDepthChroma,
    boolean frameMbsOnly,
    int width,
    int height,
    double frameRate,
    int reorderDepth) {

  /**
   * Profiles that are all-intra when constraint_set3_flag is set (A.2.8 to A.2.11): nothing
   * reorders.
   */
  private static final Set<Integer> INTRA_WITH_SET3 = Set.of(44, 86, 100, 110, 122, 244);

  private static final int CONSTRAINT_SET3 = 0x10;

  /** The most frames a DPB ever holds (A.3.1 h, A.3.2 f). */
  private static final int MAX_DPB_FRAMES = 16;

  /** Profiles whose SPS carries chroma format, bit depth and scaling matrices (7.3.2.1.1). */
  private static final Set<Integer> HIGH_PROFILES =
      Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);

  /** Macroblocks per dimension beyond any level limit: garbage, not a picture. */
  private static final int MAX_MBS = 1024;

  /**
   * Parses an SPS NAL unit, header byte included, emulation prevention still in place.
   *
   * @throws IllegalArgumentException if it is not an SPS, is truncated or holds impossible values
   */
  public static H264Sps parse(byte[] nalUnit) {
    BitReader r = reader(nalUnit);
    int profileIdc = r.readBits(8);
    int constraintFlags = r.readBits(8);
    int levelIdc = r.readBits(8);
    int spsId = r.readUE("seq_parameter_set_id", 31);

    int chromaFormatIdc = 1;
    boolean separateColourPlane = false;
    int bitDepthLuma = 8;
    int bitDepthChroma = 8;
    if (HIGH_PROFILES.contains(profileIdc)) {
      chromaFormatIdc = r.readUE("chroma_format_idc", 3);
      if (chromaFormatIdc == 3) {
        separateColourPlane = r.readFlag();
      }
      bitDepthLuma = 8 + r.readUE("bit_depth_luma_minus8", 6);
      bitDepthChroma = 8 + r.readUE("bit_depth_chroma_minus8", 6);
      r.skip(1); // qpprime_y_zero_transform_bypass_flag
      if (r.readFlag()) { // seq_scaling_matrix_present_flag
        int lists = chromaFormatIdc == 3 ? 12 : 8;
        for (int i = 0; i < lists; i++) {
          if (r.readFlag()) {
            skipScalingList(r, i < 6 ? 16 : 64);
          }
        }
      }
    }
    r.readUE("log2_max_frame_num_minus4", 12);
    int pocType = r.readUE("pic_order_cnt_type", 2);
    if (pocType == 0) {
      r.readUE("log2_max_pic_order_cnt_lsb_minus4", 12);
    } else if (pocType == 1) {
      r.skip(1); // delta_pic_order_always_zero_flag
      r.readSE(); // offset_for_non_ref_pic
      r.readSE(); // offset_for_top_to_bottom_field
      int cycle = r.readUE("num_ref_frames_in_pic_order_cnt_cycle", 255);
      for (int i = 0; i < cycle; i++) {
        r.readSE();
      }
    }
    r.readUE(); // max_num_ref_frames
    r.skip(1); // gaps_in_frame_num_value_allowed_flag
    int widthInMbs = r.readUE("pic_width_in_mbs_minus1", MAX_MBS) + 1;
    int heightInMapUnits = r.readUE("pic_height_in_map_units_minus1", MAX_MBS) + 1;
    boolean frameMbsOnly = r.readFlag();
    int frameHeightInMbs = (frameMbsOnly ? 1 : 2) * heightInMapUnits;
    if (!frameMbsOnly) {
      r.skip(1); // mb_adaptive_frame_field_flag
    }
    r.skip(1); // direct_8x8_inference_flag

    // Cropping is in chroma sample units, and in field pairs for interlaced coding (7-19..7-22).
    int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
    int subHeightC = chromaArrayType == 1 ? 2 : 1;
    int fieldFactor = frameMbsOnly ? 1 : 2;
    int cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
    int cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * fieldFactor;
    int width = widthInMbs * 16;
    int height = heightInMapUnits * 16 * fieldFactor;
    if (r.readFlag()) { // frame_cropping_flag
      int left = r.readUE("frame_crop_left_offset", width);
      int right = r.readUE("frame_crop_right_offset", width);
      int top = r.readUE("frame_crop_top_offset", height);
      int bottom = r.readUE("frame_crop_bottom_offset", height);
      width -= cropUnitX * (left + right);
      height -= cropUnitY * (top + bottom);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("SPS cropping leaves no picture: " + width + "x" + height);
    }
    Vui vui = r.readFlag() ? readVui(r) : Vui.ABSENT; // vui_parameters_present_flag
    int reorderDepth =
        vui.maxNumReorderFrames() >= 0
            ? vui.maxNumReorderFrames()
            : inferredReorderDepth(
                profileIdc, constraintFlags, levelIdc, pocType, widthInMbs * frameHeightInMbs);
    return new H264Sps(
        profileIdc,
        constraintFlags,
        levelIdc,
        spsId,
        chromaFormatIdc,
        bitDepthLuma,
        bitDepthChroma,
        frameMbsOnly,
        width,
        height,
        vui.frameRate(),
        reorderDepth);
  }

  /**
   * The reorder depth of an SPS whose VUI does not state max_num_reorder_frames. H.264 E.2.1 infers
   * MaxDpbFrames then (0 for the intra profiles), which is safe for every conforming stream. Two
   * cases are known to be 0 and spare the stream a composition offset it does not need:
   * pic_order_cnt_type 2, where output order is decoding order (8.2.1.3), and the Baseline profile,
   * which has no B slices (cameras never reorder P pictures for output).
   */
  static int inferredReorderDepth(
      int profileIdc, int constraintFlags, int levelIdc, int pocType, int frameMbs) {
    if (pocType == 2
        || profileIdc == 66
        || INTRA_WITH_SET3.contains(profileIdc) && (constraintFlags & CONSTRAINT_SET3) != 0) {
      return 0;
    }
    int maxDpbMbs = maxDpbMbs(profileIdc, constraintFlags, levelIdc);
    return maxDpbMbs == 0 ? MAX_DPB_FRAMES : Math.min(maxDpbMbs / frameMbs, MAX_DPB_FRAMES);
  }

  /** MaxDpbMbs of Table A-1, or 0 for a level it does not list. */
  private static int maxDpbMbs(int profileIdc, int constraintFlags, int levelIdc) {
    boolean level1b =
        levelIdc == 9
            || levelIdc == 11
                && (constraintFlags & CONSTRAINT_SET3) != 0
                && (profileIdc == 66 || profileIdc == 77 || profileIdc == 88);
    if (level1b) {
      return 396;
    }
    return switch (levelIdc) {
      case 10 -> 396;
      case 11 -> 900;
      case 12, 13, 20 -> 2376;
      case 21 -> 4752;
      case 22, 30 -> 8100;
      case 31 -> 18000;
      case 32 -> 20480;
      case 40, 41 -> 32768;
      case 42 -> 34816;
      case 50 -> 110400;
      case 51, 52 -> 184320;
      case 60, 61, 62 -> 696320;
      default -> 0;
    };
  }

  /**
   * Only the id, from the first bytes of the SPS: enough to file a parameter set even when the rest
   * is something this parser does not understand.
   */
  public static int parseId(byte[] nalUnit) {
    BitReader r = reader(nalUnit);
    r.skip(24);
    return r.readUE("seq_parameter_set_id", 31);
  }

  /**
   * The SPS and PPS NAL units of an avcC payload; see {@link AvcDecoderConfigurationRecord#parse}.
   */
  public static List<byte[]> parseAvcDecoderConfigurationRecord(byte[] avcC) {
    return AvcDecoderConfigurationRecord.parse(avcC).parameterSets();
  }

  /** RFC 6381 codec string: {@code avc1.} + profile, constraint byte and level in hex. */
  public String codecString() {
    return String.format("avc1.%02x%02x%02x", profileIdc, constraintFlags, levelIdc);
  }

  public VideoFormat toVideoFormat() {
    return new VideoFormat(Codec.H264, width, height, frameRate, codecString());
  }

  private static BitReader reader(byte[] nalUnit) {
    Objects.requireNonNull(nalUnit, "nalUnit");
    if (nalUnit.length < 2 || H264NalType.type(nalUnit[0]) != H264NalType.SPS) {
      throw new IllegalArgumentException(
          "not an H.264 SPS NAL unit (type "
              + H264NalType.type(nalUnit)
              + ", "
              + nalUnit.length
              + " bytes)");
    }
    return new BitReader(BitReader.unescapeRbsp(nalUnit, 1));
  }

  /** scaling_list() (7.3.2.1.1.1): the values are not needed, only their length in bits. */
  private static void skipScalingList(BitReader r, int size) {
    int last = 8;
    int next = 8;
    for (int j = 0; j < size && next != 0; j++) {
      int delta = r.readSE();
      next = (last + delta + 256) % 256;
      if (next != 0) {
        last = next;
      }
    }
  }

  /**
   * What camflow reads from the VUI: the frame rate (0: unknown) and max_num_reorder_frames (-1:
   * absent).
   */
  private record Vui(double frameRate, int maxNumReorderFrames) {
    static final Vui ABSENT = new Vui(0, -1);
  }

  /**
   * Walks the VUI (E.1.1) to timing_info and on to bitstream_restriction. Some cameras ship a VUI
   * cut short; the size is already known then, so a truncated VUI means "not stated" for what it
   * lacks rather than a bad SPS.
   */
  private static Vui readVui(BitReader r) {
    double frameRate = 0;
    try {
      if (r.readFlag()) { // aspect_ratio_info_present_flag
        if (r.readBits(8) == 255) { // Extended_SAR
          r.skip(32);
        }
      }
      if (r.readFlag()) { // overscan_info_present_flag
        r.skip(1);
      }
      if (r.readFlag()) { // video_signal_type_present_flag
        r.skip(4); // video_format, video_full_range_flag
        if (r.readFlag()) { // colour_description_present_flag
          r.skip(24);
        }
      }
      if (r.readFlag()) { // chroma_loc_info_present_flag
        r.readUE();
        r.readUE();
      }
      if (r.readFlag()) { // timing_info_present_flag
        long numUnitsInTick = Integer.toUnsignedLong(r.readBits(32));
        long timeScale = Integer.toUnsignedLong(r.readBits(32));
        r.skip(1); // fixed_frame_rate_flag
        // A tick is one field: a frame lasts two of them.
        frameRate = numUnitsInTick == 0 ? 0 : timeScale / (2.0 * numUnitsInTick);
      }
      boolean nalHrd = r.readFlag();
      if (nalHrd) {
        skipHrdParameters(r);
      }
      boolean vclHrd = r.readFlag();
      if (vclHrd) {
        skipHrdParameters(r);
      }
      if (nalHrd || vclHrd) {
        r.skip(1); // low_delay_hrd_flag
      }
      r.skip(1); // pic_struct_present_flag
      if (!r.readFlag()) { // bitstream_restriction_flag
        return new Vui(frameRate, -1);
      }
      r.skip(1); // motion_vectors_over_pic_boundaries_flag
      r.readUE(); // max_bytes_per_pic_denom
      r.readUE(); // max_bits_per_mb_denom
      r.readUE(); // log2_max_mv_length_horizontal
      r.readUE(); // log2_max_mv_length_vertical
      int maxNumReorderFrames = r.readUE("max_num_reorder_frames", MAX_DPB_FRAMES);
      r.readUE("max_dec_frame_buffering", MAX_DPB_FRAMES);
      return new Vui(frameRate, maxNumReorderFrames);
    } catch (IllegalArgumentException truncated) {
      return new Vui(frameRate, -1);
    }
  }

  /** hrd_parameters() (E.1.2): only its length matters. */
  private static void skipHrdParameters(BitReader r) {
    int cpbCount = r.readUE("cpb_cnt_minus1", 31) + 1;
    r.skip(8); // bit_rate_scale, cpb_size_scale
    for (int i = 0; i < cpbCount; i++) {
      r.readUE(); // bit_rate_value_minus1
      r.readUE(); // cpb_size_value_minus1
      r.skip(1); // cbr_flag
    }
    r.skip(20); // initial_cpb_removal_delay_length_minus1, cpb_removal_delay_length_minus1,
    // dpb_output_delay_length_minus1, time_offset_length
  }
}
