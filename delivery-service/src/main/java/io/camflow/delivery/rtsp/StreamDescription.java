package io.camflow.delivery.rtsp;

import io.camflow.media.Codec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The SDP a DESCRIBE answers (RFC 2326 C, RFC 4566): track 0 the video (H.264 with {@code
 * profile-level-id} and {@code sprop-parameter-sets}, RFC 6184; H.265 with {@code
 * sprop-vps/sps/pps}, RFC 7798), track 1 the audio as the camera sent it: G.711, or AAC as RFC
 * 3640's AAC-hbr with its AudioSpecificConfig. Control URLs are absolute, so a client that appends
 * them to a URL with a query (the token) still names the track.
 *
 * @param video the video codec (H.264 or H.265)
 * @param parameterSets without start codes: H.264 SPS, PPS; H.265 VPS, SPS, PPS (may be empty: the
 *     packetizer sends them in-band before every keyframe anyway)
 * @param audio PCMU, PCMA, AAC, or null for no audio track
 * @param aacConfig AAC's AudioSpecificConfig (null for G.711)
 * @param audioRate the audio's sample rate: its RTP clock rate
 * @param audioChannels the audio's channels
 */
record StreamDescription(
    Codec video,
    List<byte[]> parameterSets,
    Codec audio,
    byte[] aacConfig,
    int audioRate,
    int audioChannels) {

  static final int AAC_PAYLOAD_TYPE = 97;

  /** Video, and G.711 audio or none. */
  StreamDescription(Codec video, List<byte[]> parameterSets, Codec audio) {
    this(video, parameterSets, audio, null, 8_000, 1);
  }

  static final int VIDEO_TRACK = 0;
  static final int AUDIO_TRACK = 1;
  static final int VIDEO_PAYLOAD_TYPE = 96;

  StreamDescription {
    if (video != Codec.H264 && video != Codec.H265) {
      throw new IllegalArgumentException("RTSP serves H.264 and H.265 video, not " + video);
    }
    if (audio != null && audio.isVideo()) {
      throw new IllegalArgumentException("no RTSP audio track for " + audio);
    }
    if (audio == Codec.AAC && aacConfig == null) {
      throw new IllegalArgumentException("AAC needs its AudioSpecificConfig");
    }
    parameterSets = List.copyOf(parameterSets);
  }

  boolean hasTrack(int track) {
    return track == VIDEO_TRACK || (track == AUDIO_TRACK && audio != null);
  }

  /** The audio track's payload type: PCMU 0, PCMA 8 (RFC 3551), AAC 97. */
  int audioPayloadType() {
    return switch (audio) {
      case PCMA -> 8;
      case AAC -> AAC_PAYLOAD_TYPE;
      default -> 0;
    };
  }

  /** The audio frames' RTP encoding name ({@code RtcStream.Frame#encoding}). */
  String audioEncoding() {
    return switch (audio) {
      case PCMA -> "PCMA";
      case AAC -> "MPEG4-GENERIC";
      default -> "PCMU";
    };
  }

  /** The SDP text, control URLs under {@code url}'s stream. */
  String sdp(RtspUrl url, long sessionId) {
    StringBuilder s = new StringBuilder();
    line(s, "v=0");
    line(s, "o=- " + sessionId + " 1 IN IP4 0.0.0.0");
    line(s, "s=" + url.key());
    line(s, "c=IN IP4 0.0.0.0");
    line(s, "t=0 0");
    line(s, "a=tool:camflow");
    line(s, "a=range:npt=now-");
    line(s, "a=control:" + url.presentation());
    line(s, "m=video 0 RTP/AVP " + VIDEO_PAYLOAD_TYPE);
    if (video == Codec.H264) {
      line(s, "a=rtpmap:" + VIDEO_PAYLOAD_TYPE + " H264/90000");
      line(s, "a=fmtp:" + VIDEO_PAYLOAD_TYPE + " " + h264Format());
    } else {
      line(s, "a=rtpmap:" + VIDEO_PAYLOAD_TYPE + " H265/90000");
      if (parameterSets.size() == 3) {
        line(s, "a=fmtp:" + VIDEO_PAYLOAD_TYPE + " " + h265Format());
      }
    }
    line(s, "a=control:" + url.control(VIDEO_TRACK));
    if (audio != null) {
      int pt = audioPayloadType();
      line(s, "m=audio 0 RTP/AVP " + pt);
      if (audio == Codec.AAC) {
        line(s, "a=rtpmap:" + pt + " MPEG4-GENERIC/" + audioRate + "/" + audioChannels);
        line(
            s,
            "a=fmtp:"
                + pt
                + " "
                + io.camflow.media.rtp.AacPacketizer.FORMAT
                + ";config="
                + HexFormat.of().formatHex(aacConfig));
      } else {
        line(s, "a=rtpmap:" + pt + " " + audioEncoding() + "/8000");
      }
      line(s, "a=control:" + url.control(AUDIO_TRACK));
    }
    return s.toString();
  }

  private String h264Format() {
    StringBuilder f = new StringBuilder("packetization-mode=1");
    if (parameterSets.size() == 2 && parameterSets.get(0).length >= 4) {
      byte[] sps = parameterSets.get(0);
      f.append(";profile-level-id=")
          .append(HexFormat.of().formatHex(sps, 1, 4))
          .append(";sprop-parameter-sets=")
          .append(base64(sps))
          .append(',')
          .append(base64(parameterSets.get(1)));
    }
    return f.toString();
  }

  private String h265Format() {
    return "sprop-vps="
        + base64(parameterSets.get(0))
        + ";sprop-sps="
        + base64(parameterSets.get(1))
        + ";sprop-pps="
        + base64(parameterSets.get(2));
  }

  private static String base64(byte[] nal) {
    return Base64.getEncoder().encodeToString(nal);
  }

  private static void line(StringBuilder s, String line) {
    s.append(line).append("\r\n");
  }
}
