package io.camflow.media.sdp;

import io.camflow.media.Codec;
import java.util.Objects;

/**
 * What negotiation needs to know about the stream a viewer asks for.
 *
 * @param video H.264 or H.265
 * @param h264Profile the stream's profile-level-id, from its SPS; required for H.264, null for
 *     H.265
 * @param h265 an H.265 stream's profile, tier and level, from its SPS; {@link
 *     H265ProfileTierLevel#UNKNOWN} when not known (any offered H.265 is taken) and for H.264
 * @param audio the stream's audio as WebRTC can carry it; null for none (or none WebRTC plays)
 */
public record StreamCodecs(
    Codec video, H264ProfileLevelId h264Profile, H265ProfileTierLevel h265, RtpAudioCodec audio) {

  public StreamCodecs {
    Objects.requireNonNull(video, "video");
    h265 = h265 == null ? H265ProfileTierLevel.UNKNOWN : h265;
    if (video == Codec.H264) {
      Objects.requireNonNull(h264Profile, "h264Profile");
    } else if (video != Codec.H265) {
      throw new IllegalArgumentException("video must be H.264 or H.265, was " + video.id());
    }
  }

  public static StreamCodecs h264(H264ProfileLevelId profile, RtpAudioCodec audio) {
    return new StreamCodecs(Codec.H264, profile, H265ProfileTierLevel.UNKNOWN, audio);
  }

  public static StreamCodecs h265(H265ProfileTierLevel profileTierLevel, RtpAudioCodec audio) {
    return new StreamCodecs(Codec.H265, null, profileTierLevel, audio);
  }
}
