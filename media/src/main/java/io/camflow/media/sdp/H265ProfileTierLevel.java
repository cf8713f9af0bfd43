package io.camflow.media.sdp;

import io.camflow.media.h265.H265Sps;

/**
 * The profile, tier and level of an H.265 stream as RFC 7798 7.1 signals them: {@code profile-id}
 * is general_profile_idc (1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions), {@code
 * tier-flag} general_tier_flag (0 Main, 1 High), {@code level-id} general_level_idc (30 times the
 * level: 93 is 3.1, 120 is 4).
 *
 * @param profileId 0 when not known (no SPS parsed yet): any offered profile is taken
 * @param levelId 0 when not known
 */
public record H265ProfileTierLevel(int profileId, int tierFlag, int levelId) {

  /** Nothing known: negotiation takes whatever H.265 the viewer offers. */
  public static final H265ProfileTierLevel UNKNOWN = new H265ProfileTierLevel(0, 0, 0);

  public H265ProfileTierLevel {
    if (profileId < 0
        || profileId > 31
        || tierFlag < 0
        || tierFlag > 1
        || levelId < 0
        || levelId > 255) {
      throw new IllegalArgumentException(
          "H.265 profile-id must be 0..31, tier-flag 0..1, level-id 0..255; was "
              + profileId
              + "/"
              + tierFlag
              + "/"
              + levelId);
    }
  }

  public static H265ProfileTierLevel of(H265Sps sps) {
    return new H265ProfileTierLevel(sps.profileIdc(), sps.tier(), sps.levelIdc());
  }

  public boolean known() {
    return profileId != 0;
  }

  /** Like {@code 3.1} or {@code 4}; {@code ?} when not known. */
  public String levelName() {
    if (levelId == 0) {
      return "?";
    }
    int major = levelId / 30;
    int minor = (levelId % 30) / 3;
    return minor == 0 ? Integer.toString(major) : major + "." + minor;
  }

  /** Human words for refusals and logs, e.g. {@code Main 10, Main tier, level 4.1}. */
  public String describe() {
    String profile =
        switch (profileId) {
          case 0 -> "unknown profile";
          case 1 -> "Main";
          case 2 -> "Main 10";
          case 3 -> "Main Still Picture";
          case 4 -> "Range Extensions";
          default -> "profile-id " + profileId;
        };
    return profile + ", " + (tierFlag == 1 ? "High" : "Main") + " tier, level " + levelName();
  }
}
