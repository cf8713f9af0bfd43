package io.camflow.media.h264;

/** H.264 NAL unit types (ITU-T H.264 table 7-1) and the questions camflow asks about them. */
public final class H264NalType {

  public static final int NON_IDR_SLICE = 1;
  public static final int IDR_SLICE = 5;
  public static final int SEI = 6;
  public static final int SPS = 7;
  public static final int PPS = 8;
  public static final int AUD = 9;
  public static final int END_OF_SEQUENCE = 10;
  public static final int END_OF_STREAM = 11;
  public static final int FILLER = 12;

  private H264NalType() {}

  /** The type in the low 5 bits of the NAL header byte. */
  public static int type(byte header) {
    return header & 0x1F;
  }

  /** The type of a NAL unit (header included); -1 for an empty one. */
  public static int type(byte[] nalUnit) {
    return nalUnit == null || nalUnit.length == 0 ? -1 : type(nalUnit[0]);
  }

  /** Coded slice data (types 1..5): the picture itself. */
  public static boolean isVcl(int type) {
    return type >= 1 && type <= 5;
  }

  public static boolean isIdr(int type) {
    return type == IDR_SLICE;
  }

  public static boolean isParameterSet(int type) {
    return type == SPS || type == PPS;
  }
}
