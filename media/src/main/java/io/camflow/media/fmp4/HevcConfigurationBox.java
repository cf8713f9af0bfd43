package io.camflow.media.fmp4;

import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.H265Sps;
import java.util.List;

/**
 * The {@code hvcC} box: HEVCDecoderConfigurationRecord of ISO/IEC 14496-15 8.3.3.1, one array per
 * parameter set type, each marked complete because {@code hvc1} promises that no parameter set
 * appears in the samples.
 */
final class HevcConfigurationBox {

  private HevcConfigurationBox() {}

  static void write(BoxWriter w, TrackFormat track) {
    byte[] spsNal = track.sps();
    H265Sps sps = H265Sps.parse(spsNal);
    // sps_max_sub_layers_minus1 and sps_temporal_id_nesting_flag sit in the first payload byte,
    // which cannot be an emulation prevention byte (the header byte before it is never zero).
    int maxSubLayers = ((spsNal[2] >> 1) & 0x07) + 1;
    int temporalIdNested = spsNal[2] & 0x01;

    if (sps.bitDepthLuma() > 15 || sps.bitDepthChroma() > 15) {
      throw new IllegalArgumentException(
          "hvcC cannot express a bit depth above 15 (SPS says "
              + sps.bitDepthLuma()
              + "/"
              + sps.bitDepthChroma()
              + ")");
    }
    int box = w.begin("hvcC");
    w.u8(1); // configurationVersion
    w.u8((sps.generalProfileSpace() << 6) | (sps.tier() << 5) | sps.profileIdc());
    w.u32(sps.profileCompatibilityFlags());
    w.u16((int) (sps.constraintIndicatorFlags() >>> 32));
    w.u32((int) sps.constraintIndicatorFlags());
    w.u8(sps.levelIdc());
    // min_spatial_segmentation_idc 0 and parallelismType 0 mean "unknown": always true, and
    // what FFmpeg writes when the VUI does not restrict the bitstream.
    w.u16(0xF000);
    w.u8(0xFC);
    w.u8(0xFC | sps.chromaFormatIdc());
    w.u8(0xF8 | (sps.bitDepthLuma() - 8));
    w.u8(0xF8 | (sps.bitDepthChroma() - 8));
    w.u16(0); // avgFrameRate: unspecified
    // constantFrameRate 0 (unknown), numTemporalLayers, temporalIdNested, lengthSizeMinusOne 3
    w.u8((maxSubLayers << 3) | (temporalIdNested << 2) | 3);

    int[] types = {H265NalType.VPS, H265NalType.SPS, H265NalType.PPS};
    w.u8(types.length); // numOfArrays: the track has all three (TrackFormat checks)
    for (int type : types) {
      List<byte[]> nalUnits = track.parameterSetsOfType(type);
      w.u8(0x80 | type); // array_completeness 1, reserved 0, NAL_unit_type
      w.u16(nalUnits.size());
      for (byte[] nal : nalUnits) {
        w.u16(nal.length);
        w.bytes(nal);
      }
    }
    w.end(box);
  }
}
