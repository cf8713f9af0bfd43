package io.camflow.media.h265;

import io.camflow.media.bits.BitReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of the H.265 SPS syntax that must be walked, not kept, to reach the VUI: sub-layer
 * profile/tier/level, scaling lists, short-term reference picture sets, long-term references.
 */
final class H265SpsSyntax {

  private H265SpsSyntax() {}

  /** The sub-layer part of profile_tier_level() (7.3.3), after general_level_idc. */
  static void skipSubLayers(BitReader r, int maxSubLayersMinus1) {
    boolean[] profilePresent = new boolean[maxSubLayersMinus1];
    boolean[] levelPresent = new boolean[maxSubLayersMinus1];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      profilePresent[i] = r.readFlag();
      levelPresent[i] = r.readFlag();
    }
    if (maxSubLayersMinus1 > 0) {
      r.skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      if (profilePresent[i]) {
        r.skip(88); // space, tier, profile, 32 compatibility flags, 48 constraint bits
      }
      if (levelPresent[i]) {
        r.skip(8);
      }
    }
  }

  /**
   * What the SPS says after the bit depths.
   *
   * @param maxNumReorderPics sps_max_num_reorder_pics of the highest sub-layer (HighestTid)
   * @param frameRate the VUI frame rate, 0 without VUI timing info
   */
  record Tail(int maxNumReorderPics, double frameRate) {}

  /** Continues an SPS from log2_max_pic_order_cnt_lsb_minus4 through vui_parameters(). */
  static Tail readTail(BitReader r, int maxSubLayersMinus1) {
    int log2MaxPocLsb = r.readUE("log2_max_pic_order_cnt_lsb_minus4", 12) + 4;
    boolean subLayerOrderingInfo = r.readFlag();
    int maxNumReorderPics = 0;
    for (int i = subLayerOrderingInfo ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
      r.readUE(); // sps_max_dec_pic_buffering_minus1
      maxNumReorderPics = r.readUE("sps_max_num_reorder_pics", 16); // the last one is HighestTid's
      r.readUE(); // sps_max_latency_increase_plus1
    }
    r.readUE(); // log2_min_luma_coding_block_size_minus3
    r.readUE(); // log2_diff_max_min_luma_coding_block_size
    r.readUE(); // log2_min_luma_transform_block_size_minus2
    r.readUE(); // log2_diff_max_min_luma_transform_block_size
    r.readUE(); // max_transform_hierarchy_depth_inter
    r.readUE(); // max_transform_hierarchy_depth_intra
    if (r.readFlag()
        && r.readFlag()) { // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
      skipScalingListData(r);
    }
    r.skip(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
    if (r.readFlag()) { // pcm_enabled_flag
      r.skip(8); // pcm sample bit depths
      r.readUE();
      r.readUE();
      r.skip(1); // pcm_loop_filter_disabled_flag
    }
    skipShortTermRefPicSets(r);
    if (r.readFlag()) { // long_term_ref_pics_present_flag
      int count = r.readUE("num_long_term_ref_pics_sps", 32);
      r.skip(count * (log2MaxPocLsb + 1)); // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
    }
    r.skip(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
    return new Tail(
        maxNumReorderPics, r.readFlag() ? vuiFrameRate(r) : 0); // vui_parameters_present_flag
  }

  /** scaling_list_data() (7.3.4): only the number of bits matters. */
  private static void skipScalingListData(BitReader r) {
    for (int sizeId = 0; sizeId < 4; sizeId++) {
      for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
        if (!r.readFlag()) { // scaling_list_pred_mode_flag
          r.readUE(); // scaling_list_pred_matrix_id_delta
        } else {
          int coefficients = Math.min(64, 1 << (4 + (sizeId << 1)));
          if (sizeId > 1) {
            r.readSE(); // scaling_list_dc_coef_minus8
          }
          for (int i = 0; i < coefficients; i++) {
            r.readSE(); // scaling_list_delta_coef
          }
        }
      }
    }
  }

  /**
   * st_ref_pic_set() (7.3.7) for every set in the SPS. A set predicted from the previous one has
   * one flag pair per entry of that set, so each set's entries must be derived (7-61, 7-62). An
   * entry survives prediction only if flagged and if its shifted POC delta is not zero, so the
   * delta values are tracked, not just their count.
   */
  private static void skipShortTermRefPicSets(BitReader r) {
    int sets = r.readUE("num_short_term_ref_pic_sets", 64);
    int[][] negative = new int[sets][];
    int[][] positive = new int[sets][];
    for (int idx = 0; idx < sets; idx++) {
      if (idx != 0 && r.readFlag()) { // inter_ref_pic_set_prediction_flag
        // delta_idx_minus1 exists only in slice headers; in the SPS the reference is idx - 1.
        predictRefPicSet(r, negative[idx - 1], positive[idx - 1], negative, positive, idx);
      } else {
        int negativeCount = r.readUE("num_negative_pics", 16);
        int positiveCount = r.readUE("num_positive_pics", 16);
        negative[idx] = explicitDeltas(r, negativeCount, -1);
        positive[idx] = explicitDeltas(r, positiveCount, 1);
      }
    }
  }

  /**
   * POC deltas coded as {@code delta_poc_minus1, used_by_curr_pic_flag} pairs, moving away from 0.
   */
  private static int[] explicitDeltas(BitReader r, int count, int sign) {
    int[] deltas = new int[count];
    int poc = 0;
    for (int i = 0; i < count; i++) {
      poc += sign * (r.readUE("delta_poc_minus1", 32767) + 1);
      deltas[i] = poc;
      r.skip(1); // used_by_curr_pic_flag
    }
    return deltas;
  }

  /** The inter-predicted form of st_ref_pic_set() and its derivation (7-61, 7-62). */
  private static void predictRefPicSet(
      BitReader r,
      int[] refNegative,
      int[] refPositive,
      int[][] negative,
      int[][] positive,
      int idx) {
    int sign = r.readFlag() ? -1 : 1; // delta_rps_sign
    int deltaRps = sign * (r.readUE("abs_delta_rps_minus1", 32767) + 1);
    int refCount = refNegative.length + refPositive.length;
    boolean[] useDelta =
        new boolean[refCount + 1]; // the last entry stands for the reference picture itself
    for (int j = 0; j <= refCount; j++) {
      boolean usedByCurrPic = r.readFlag();
      useDelta[j] = usedByCurrPic || r.readFlag(); // use_delta_flag, inferred 1 when absent
    }
    List<Integer> neg = new ArrayList<>();
    for (int j = refPositive.length - 1; j >= 0; j--) {
      addIf(
          neg,
          refPositive[j] + deltaRps < 0 && useDelta[refNegative.length + j],
          refPositive[j] + deltaRps);
    }
    addIf(neg, deltaRps < 0 && useDelta[refCount], deltaRps);
    for (int j = 0; j < refNegative.length; j++) {
      addIf(neg, refNegative[j] + deltaRps < 0 && useDelta[j], refNegative[j] + deltaRps);
    }
    List<Integer> pos = new ArrayList<>();
    for (int j = refNegative.length - 1; j >= 0; j--) {
      addIf(pos, refNegative[j] + deltaRps > 0 && useDelta[j], refNegative[j] + deltaRps);
    }
    addIf(pos, deltaRps > 0 && useDelta[refCount], deltaRps);
    for (int j = 0; j < refPositive.length; j++) {
      addIf(
          pos,
          refPositive[j] + deltaRps > 0 && useDelta[refNegative.length + j],
          refPositive[j] + deltaRps);
    }
    negative[idx] = neg.stream().mapToInt(Integer::intValue).toArray();
    positive[idx] = pos.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void addIf(List<Integer> deltas, boolean condition, int delta) {
    if (condition) {
      deltas.add(delta);
    }
  }

  /**
   * vui_parameters() (E.2.1) up to the timing info. A VUI cut short means "frame rate unknown"
   * rather than a bad SPS: the picture size is already known and some cameras get this wrong.
   */
  private static double vuiFrameRate(BitReader r) {
    try {
      if (r.readFlag() && r.readBits(8) == 255) { // aspect_ratio_info_present_flag, Extended_SAR
        r.skip(32);
      }
      if (r.readFlag()) { // overscan_info_present_flag
        r.skip(1);
      }
      if (r.readFlag()) { // video_signal_type_present_flag
        r.skip(4);
        if (r.readFlag()) { // colour_description_present_flag
          r.skip(24);
        }
      }
      if (r.readFlag()) { // chroma_loc_info_present_flag
        r.readUE();
        r.readUE();
      }
      r.skip(3); // neutral_chroma_indication_flag, field_seq_flag, frame_field_info_present_flag
      if (r.readFlag()) { // default_display_window_flag
        for (int i = 0; i < 4; i++) {
          r.readUE();
        }
      }
      if (!r.readFlag()) { // vui_timing_info_present_flag
        return 0;
      }
      long numUnitsInTick = Integer.toUnsignedLong(r.readBits(32));
      long timeScale = Integer.toUnsignedLong(r.readBits(32));
      return numUnitsInTick == 0 ? 0 : (double) timeScale / numUnitsInTick;
    } catch (IllegalArgumentException truncated) {
      return 0;
    }
  }
}
