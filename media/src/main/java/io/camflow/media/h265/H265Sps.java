package io.camflow.media.h265;

import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.bits.BitReader;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The fields of an H.265 sequence parameter set (ITU-T H.265 7.3.2.2) that camflow needs: the
 * general profile/tier/level for the codec string, and the displayed size and frame rate.
 *
 * @param tier general_tier_flag: 0 = Main tier, 1 = High tier
 * @param profileCompatibilityFlags general_profile_compatibility_flag[0..31], flag 0 in the most
 *     significant bit (bitstream and hvcC order)
 * @param constraintIndicatorFlags the 48 bits from general_progressive_source_flag on, first bit
 *     most significant (bitstream and hvcC order)
 * @param width pic_width_in_luma_samples minus the conformance window
 * @param height pic_height_in_luma_samples minus the conformance window
 * @param frameRate {@code vui_time_scale / vui_num_units_in_tick}, 0 if absent
 * @param reorderDepth sps_max_num_reorder_pics of the highest sub-layer: how many pictures may
 *     precede one in decoding order and follow it in output order (B-frames)
 */
public record H265Sps(
    int generalProfileSpace,
    int tier,
    int profileIdc,
    int profileCompatibilityFlags,
    long constraintIndicatorFlags,
    int levelIdc,
    int spsId,
    int chromaFormatIdc,
    int bitDepthLuma,
    int bitDepthChroma,
    int width,
    int height,
    double frameRate,
    int reorderDepth) {

  /** Luma samples per dimension beyond level 6.2's limit: garbage, not a picture. */
  private static final int MAX_DIMENSION = 16888;

  /**
   * Parses an SPS NAL unit, both header bytes included, emulation prevention still in place.
   *
   * @throws IllegalArgumentException if it is not an SPS, is truncated or holds impossible values
   */
  public static H265Sps parse(byte[] nalUnit) {
    BitReader r = reader(nalUnit);
    r.skip(4); // sps_video_parameter_set_id
    int maxSubLayersMinus1 = r.readBits(3);
    r.skip(1); // sps_temporal_id_nesting_flag
    int profileSpace = r.readBits(2);
    int tier = r.readBits(1);
    int profileIdc = r.readBits(5);
    int compatibility = r.readBits(32);
    long constraints = r.readBitsLong(48);
    int levelIdc = r.readBits(8);
    H265SpsSyntax.skipSubLayers(r, maxSubLayersMinus1);
    int spsId = r.readUE("sps_seq_parameter_set_id", 15);

    int chromaFormatIdc = r.readUE("chroma_format_idc", 3);
    boolean separateColourPlane = chromaFormatIdc == 3 && r.readFlag();
    int width = r.readUE("pic_width_in_luma_samples", MAX_DIMENSION);
    int height = r.readUE("pic_height_in_luma_samples", MAX_DIMENSION);
    if (r.readFlag()) { // conformance_window_flag; offsets are in chroma samples (7-32/7-33)
      int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
      int subHeightC = chromaArrayType == 1 ? 2 : 1;
      int left = r.readUE("conf_win_left_offset", width);
      int right = r.readUE("conf_win_right_offset", width);
      int top = r.readUE("conf_win_top_offset", height);
      int bottom = r.readUE("conf_win_bottom_offset", height);
      width -= subWidthC * (left + right);
      height -= subHeightC * (top + bottom);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("SPS describes no picture: " + width + "x" + height);
    }
    int bitDepthLuma = 8 + r.readUE("bit_depth_luma_minus8", 8);
    int bitDepthChroma = 8 + r.readUE("bit_depth_chroma_minus8", 8);

    H265SpsSyntax.Tail tail = H265SpsSyntax.readTail(r, maxSubLayersMinus1);
    return new H265Sps(
        profileSpace,
        tier,
        profileIdc,
        compatibility,
        constraints,
        levelIdc,
        spsId,
        chromaFormatIdc,
        bitDepthLuma,
        bitDepthChroma,
        width,
        height,
        tail.frameRate(),
        tail.maxNumReorderPics());
  }

  /**
   * Only the id, which sits right after profile_tier_level: enough to file a parameter set even
   * when the rest is something this parser does not understand.
   */
  public static int parseId(byte[] nalUnit) {
    BitReader r = reader(nalUnit);
    r.skip(4);
    int maxSubLayersMinus1 = r.readBits(3);
    r.skip(1 + 96); // nesting flag, general profile/tier/level
    H265SpsSyntax.skipSubLayers(r, maxSubLayersMinus1);
    return r.readUE("sps_seq_parameter_set_id", 15);
  }

  /**
   * The VPS, SPS, PPS (and SEI) NAL units of an hvcC payload; see {@link
   * HevcDecoderConfigurationRecord#parse}.
   */
  public static List<byte[]> parseHevcDecoderConfigurationRecord(byte[] hvcC) {
    return HevcDecoderConfigurationRecord.parse(hvcC).parameterSets();
  }

  /**
   * RFC 6381 codec string per ISO/IEC 14496-15 Annex E, e.g. {@code hvc1.1.6.L93.B0}: profile space
   * letter and profile, compatibility flags bit-reversed in hex, tier letter and level, then the
   * constraint bytes in hex with trailing zero bytes left out.
   */
  public String codecString() {
    StringBuilder s = new StringBuilder("hvc1.");
    if (generalProfileSpace > 0) {
      s.append((char) ('A' + generalProfileSpace - 1));
    }
    s.append(profileIdc)
        .append('.')
        .append(
            Integer.toHexString(Integer.reverse(profileCompatibilityFlags))
                .toUpperCase(Locale.ROOT))
        .append('.')
        .append(tier == 0 ? 'L' : 'H')
        .append(levelIdc);
    int bytes = 6;
    while (bytes > 0 && ((constraintIndicatorFlags >>> (8 * (6 - bytes))) & 0xFF) == 0) {
      bytes--;
    }
    for (int i = 0; i < bytes; i++) {
      long b = (constraintIndicatorFlags >>> (8 * (5 - i))) & 0xFF;
      s.append('.').append(Long.toHexString(b).toUpperCase(Locale.ROOT));
    }
    return s.toString();
  }

  public VideoFormat toVideoFormat() {
    return new VideoFormat(Codec.H265, width, height, frameRate, codecString());
  }

  private static BitReader reader(byte[] nalUnit) {
    Objects.requireNonNull(nalUnit, "nalUnit");
    if (nalUnit.length < 3 || H265NalType.type(nalUnit[0]) != H265NalType.SPS) {
      throw new IllegalArgumentException(
          "not an H.265 SPS NAL unit (type "
              + H265NalType.type(nalUnit)
              + ", "
              + nalUnit.length
              + " bytes)");
    }
    return new BitReader(BitReader.unescapeRbsp(nalUnit, 2));
  }
}
