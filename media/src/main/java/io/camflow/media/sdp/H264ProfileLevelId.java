package io.camflow.media.sdp;

import io.camflow.media.h264.H264Sps;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The {@code profile-level-id} of RFC 6184 8.1: profile_idc, the constraint byte (profile-iop) and
 * level_idc, three bytes written as six hex digits, the same bytes the SPS starts with.
 */
public record H264ProfileLevelId(int profileIdc, int profileIop, int levelIdc) {

  /** RFC 6184 8.1: absent, it means Baseline level 1.0. */
  public static final H264ProfileLevelId DEFAULT = new H264ProfileLevelId(0x42, 0x00, 0x0A);

  private static final Pattern HEX6 = Pattern.compile("[0-9A-Fa-f]{6}");

  public H264ProfileLevelId {
    if (profileIdc < 0
        || profileIdc > 255
        || profileIop < 0
        || profileIop > 255
        || levelIdc < 0
        || levelIdc > 255) {
      throw new IllegalArgumentException("profile-level-id bytes must be 0..255");
    }
  }

  /**
   * @throws IllegalArgumentException unless six hex digits
   */
  public static H264ProfileLevelId parse(String hex) {
    if (hex == null || !HEX6.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "profile-level-id must be six hex digits, was '" + hex + "'");
    }
    byte[] b = HexFormat.of().parseHex(hex);
    return new H264ProfileLevelId(b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF);
  }

  public static H264ProfileLevelId of(H264Sps sps) {
    return new H264ProfileLevelId(sps.profileIdc(), sps.constraintFlags(), sps.levelIdc());
  }

  public H264Profile profile() {
    return H264Profile.of(profileIdc, profileIop);
  }

  /**
   * Like {@code 4.0}; {@code 1b} for level_idc 9, or 11 with constraint_set3 in the Baseline
   * family.
   */
  public String levelName() {
    boolean level1b =
        levelIdc == 9
            || (levelIdc == 11
                && (profileIop & 0x10) != 0
                && (profileIdc == 66 || profileIdc == 77 || profileIdc == 88));
    return level1b ? "1b" : levelIdc / 10 + "." + levelIdc % 10;
  }

  /** Human words for refusals and logs, e.g. {@code Main 4.0}. */
  public String describe() {
    H264Profile profile = profile();
    String name =
        profile == H264Profile.OTHER ? "profile_idc " + profileIdc : profile.displayName();
    return name + " " + levelName();
  }

  /** The six hex digits. */
  @Override
  public String toString() {
    return String.format("%02x%02x%02x", profileIdc, profileIop, levelIdc);
  }
}
