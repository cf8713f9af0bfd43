package io.camflow.media.h265;

/** H.265 NAL unit types (ITU-T H.265 table 7-1) and the questions camflow asks about them. */
public final class H265NalType {

  public static final int BLA_W_LP = 16;
  public static final int IDR_W_RADL = 19;
  public static final int IDR_N_LP = 20;
  public static final int CRA = 21;
  public static final int VPS = 32;
  public static final int SPS = 33;
  public static final int PPS = 34;
  public static final int AUD = 35;
  public static final int END_OF_SEQUENCE = 36;
  public static final int END_OF_BITSTREAM = 37;
  public static final int FILLER = 38;
  public static final int PREFIX_SEI = 39;
  public static final int SUFFIX_SEI = 40;

  private H265NalType() {}

  /** The type in bits 1..6 of the first of the two NAL header bytes. */
  public static int type(byte firstHeaderByte) {
    return (firstHeaderByte >> 1) & 0x3F;
  }

  /** The type of a NAL unit (header included); -1 for an empty one. */
  public static int type(byte[] nalUnit) {
    return nalUnit == null || nalUnit.length == 0 ? -1 : type(nalUnit[0]);
  }

  /** Coded slice segments (types 0..31, reserved ones included). */
  public static boolean isVcl(int type) {
    return type >= 0 && type < 32;
  }

  /** Intra random access point (BLA, IDR, CRA and reserved 22..23): decoding can start here. */
  public static boolean isIrap(int type) {
    return type >= 16 && type <= 23;
  }

  public static boolean isParameterSet(int type) {
    return type == VPS || type == SPS || type == PPS;
  }
}
