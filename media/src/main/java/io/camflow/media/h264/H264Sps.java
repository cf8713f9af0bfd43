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
 * @param constraintFlags the whole byte after profile_idc: constraint_set0..5 flags and 2 reserved bits
 * @param width           displayed width: coded macroblocks minus the cropping window
 * @param height          displayed height: coded macroblocks minus the cropping window
 * @param frameRate       {@code time_scale / (2 * num_units_in_tick)} from the VUI, 0 if absent
 */
public record H264Sps(int profileIdc, int constraintFlags, int levelIdc, int spsId,
    int chromaFormatIdc, int bitDepthLuma, int bitDepthChroma, boolean frameMbsOnly,
    int width, int height, double frameRate) {

  /** Profiles whose SPS carries chroma format, bit depth and scaling matrices (7.3.2.1.1). */
  private static final Set<Integer> HIGH_PROFILES = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);

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
    double frameRate = r.readFlag() ? readVuiFrameRate(r) : 0; // vui_parameters_present_flag
    return new H264Sps(profileIdc, constraintFlags, levelIdc, spsId, chromaFormatIdc,
        bitDepthLuma, bitDepthChroma, frameMbsOnly, width, height, frameRate);
  }

  /**
   * Only the id, from the first bytes of the SPS: enough to file a parameter set even when the
   * rest is something this parser does not understand.
   */
  public static int parseId(byte[] nalUnit) {
    BitReader r = reader(nalUnit);
    r.skip(24);
    return r.readUE("seq_parameter_set_id", 31);
  }

  /** The SPS and PPS NAL units of an avcC payload; see {@link AvcDecoderConfigurationRecord#parse}. */
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
      throw new IllegalArgumentException("not an H.264 SPS NAL unit (type "
          + H264NalType.type(nalUnit) + ", " + nalUnit.length + " bytes)");
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
   * Walks the VUI (E.1.1) up to timing_info. Some cameras ship a VUI cut short; the size is
   * already known then, so a truncated VUI means "frame rate unknown" rather than a bad SPS.
   */
  private static double readVuiFrameRate(BitReader r) {
    try {
      return vuiFrameRate(r);
    } catch (IllegalArgumentException truncated) {
      return 0;
    }
  }

  private static double vuiFrameRate(BitReader r) {
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
    if (!r.readFlag()) { // timing_info_present_flag
      return 0;
    }
    long numUnitsInTick = Integer.toUnsignedLong(r.readBits(32));
    long timeScale = Integer.toUnsignedLong(r.readBits(32));
    // A tick is one field: a frame lasts two of them.
    return numUnitsInTick == 0 ? 0 : timeScale / (2.0 * numUnitsInTick);
  }
}
