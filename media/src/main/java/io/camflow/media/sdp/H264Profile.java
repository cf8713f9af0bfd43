package io.camflow.media.sdp;

import java.util.EnumSet;
import java.util.Set;

/**
 * H.264 profiles as WebRTC tells them apart (the classification of libwebrtc's {@code
 * h264_profile_level_id}), and which decoder profile can decode which stream profile: every
 * profile's decoder handles Constrained Baseline, and the High family nests (Main ⊂ High ⊂ High 10
 * ⊂ High 4:2:2 ⊂ High 4:4:4 Predictive, H.264 A.2).
 */
public enum H264Profile {
  CONSTRAINED_BASELINE("Constrained Baseline"),
  BASELINE("Baseline"),
  MAIN("Main"),
  CONSTRAINED_HIGH("Constrained High"),
  HIGH("High"),
  HIGH_10("High 10"),
  HIGH_422("High 4:2:2"),
  HIGH_444("High 4:4:4 Predictive"),
  /** Extended, the SVC/MVC profiles and whatever else: only the identical profile_idc matches. */
  OTHER("other");

  private final String displayName;

  H264Profile(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  /**
   * The profile of a profile_idc and its constraint byte (profile-iop): constraint_set1 makes
   * Baseline constrained, constraint_set0 does so for Main (such a stream is valid Baseline too),
   * constraint_set4+5 make High constrained.
   */
  static H264Profile of(int profileIdc, int profileIop) {
    boolean cs0 = (profileIop & 0x80) != 0;
    boolean cs1 = (profileIop & 0x40) != 0;
    boolean cs4 = (profileIop & 0x08) != 0;
    boolean cs5 = (profileIop & 0x04) != 0;
    return switch (profileIdc) {
      case 66 -> cs1 ? CONSTRAINED_BASELINE : BASELINE;
      case 77 -> cs0 ? CONSTRAINED_BASELINE : MAIN;
      case 88 -> cs0 && cs1 ? CONSTRAINED_BASELINE : OTHER;
      case 100 -> cs4 && cs5 ? CONSTRAINED_HIGH : HIGH;
      case 110 -> HIGH_10;
      case 122 -> HIGH_422;
      case 244 -> HIGH_444;
      default -> OTHER;
    };
  }

  /** Whether a decoder of this profile decodes every stream of {@code stream}'s profile. */
  public boolean decodes(H264Profile stream) {
    return decodable().contains(stream);
  }

  private Set<H264Profile> decodable() {
    return switch (this) {
      case CONSTRAINED_BASELINE -> EnumSet.of(CONSTRAINED_BASELINE);
      case BASELINE -> EnumSet.of(CONSTRAINED_BASELINE, BASELINE);
      case MAIN -> EnumSet.of(CONSTRAINED_BASELINE, MAIN);
      case CONSTRAINED_HIGH -> EnumSet.of(CONSTRAINED_BASELINE, CONSTRAINED_HIGH);
      case HIGH -> EnumSet.of(CONSTRAINED_BASELINE, MAIN, CONSTRAINED_HIGH, HIGH);
      case HIGH_10 -> EnumSet.of(CONSTRAINED_BASELINE, MAIN, CONSTRAINED_HIGH, HIGH, HIGH_10);
      case HIGH_422 ->
          EnumSet.of(CONSTRAINED_BASELINE, MAIN, CONSTRAINED_HIGH, HIGH, HIGH_10, HIGH_422);
      case HIGH_444 ->
          EnumSet.of(
              CONSTRAINED_BASELINE, MAIN, CONSTRAINED_HIGH, HIGH, HIGH_10, HIGH_422, HIGH_444);
      case OTHER -> EnumSet.noneOf(H264Profile.class);
    };
  }
}
