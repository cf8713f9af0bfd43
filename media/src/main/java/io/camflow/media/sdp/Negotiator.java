package io.camflow.media.sdp;

import io.camflow.media.Codec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Negotiates a WebRTC offer for a send-only server (WHEP): one video section with the stream's
 * codec, one audio section when the stream has audio the viewer takes, everything else rejected.
 * All accepted sections share one BUNDLE transport with ICE-lite and DTLS-SRTP, so the offer must
 * support those.
 */
public final class Negotiator {

  /** The feedback camflow answers to: retransmission requests and keyframe requests. */
  private static final Set<String> SUPPORTED_FEEDBACK = Set.of("nack", "nack pli", "ccm fir");

  private Negotiator() {}

  public static Negotiation negotiate(
      SessionDescription offer, StreamCodecs stream, ProfileMatching matching) {
    Objects.requireNonNull(offer, "offer");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(matching, "matching");
    List<MediaDescription> media = offer.media();

    int videoIndex = -1;
    String firstVideoProblem = null;
    ChosenCodec videoCodec = null;
    for (int i = 0; i < media.size() && videoCodec == null; i++) {
      MediaDescription section = media.get(i);
      if (!section.media().equals("video") || !section.isActive()) {
        continue;
      }
      String problem = receiveProblem(offer, section);
      if (problem == null) {
        problem = transportProblem(offer, section);
      }
      VideoChoice choice = problem == null ? chooseVideo(section, stream, matching) : null;
      if (choice != null && choice.codec() != null) {
        videoIndex = i;
        videoCodec = choice.codec();
      } else if (firstVideoProblem == null) {
        firstVideoProblem = problem != null ? problem : choice.problem();
      }
    }
    if (videoCodec == null) {
      return new Negotiation.Refused(
          firstVideoProblem != null
              ? firstVideoProblem
              : "offer has no video section (add a recvonly video transceiver)");
    }

    MediaDescription video = media.get(videoIndex);
    Optional<Group> bundle = offer.bundleGroupOf(video.mid());
    List<SectionAnswer> answers = new ArrayList<>();
    boolean audioTaken = false;
    for (int i = 0; i < media.size(); i++) {
      MediaDescription section = media.get(i);
      if (i == videoIndex) {
        answers.add(new SectionAnswer.Accepted(i, section, videoCodec));
        continue;
      }
      String reason;
      if (!section.isActive()) {
        reason = "rejected by the offer (port 0)";
      } else if (section.media().equals("video")) {
        reason = "camflow sends one video track";
      } else if (!section.media().equals("audio")) {
        reason = "camflow sends no " + section.media();
      } else if (audioTaken) {
        reason = "camflow sends one audio track";
      } else if (stream.audio() == null) {
        reason = "the stream has no audio WebRTC can carry";
      } else if (bundle.isEmpty() || !bundle.equals(offer.bundleGroupOf(section.mid()))) {
        reason = "audio is not in the video's BUNDLE group (camflow uses one transport per viewer)";
      } else if (!offer.directionOf(section).receives()) {
        reason = receiveProblem(offer, section);
      } else {
        Optional<ChosenCodec> audio = chooseAudio(section, stream.audio());
        if (audio.isPresent()) {
          answers.add(new SectionAnswer.Accepted(i, section, audio.get()));
          audioTaken = true;
          continue;
        }
        reason = "offer's audio has no " + stream.audio().describe();
      }
      answers.add(new SectionAnswer.Rejected(i, section, reason));
    }
    return new Negotiation.Agreed(offer, answers);
  }

  private static String receiveProblem(SessionDescription offer, MediaDescription section) {
    Direction direction = offer.directionOf(section);
    return direction.receives()
        ? null
        : "offer's "
            + section.media()
            + " section is "
            + direction.attribute()
            + "; a WHEP player must receive (recvonly)";
  }

  /** The video section carries the one transport every accepted section shares. */
  private static String transportProblem(SessionDescription offer, MediaDescription section) {
    if (!section.isDtlsSrtp()) {
      return "offer's video uses "
          + section.protocol()
          + "; WebRTC needs UDP/TLS/RTP/SAVPF (DTLS-SRTP)";
    }
    Ice ice = offer.iceOf(section);
    if (ice.ufrag() == null || ice.pwd() == null) {
      return "offer has no ICE credentials (a=ice-ufrag and a=ice-pwd)";
    }
    if (offer.fingerprintsOf(section).isEmpty()) {
      return "offer has no DTLS certificate fingerprint (a=fingerprint)";
    }
    if (offer.setupOf(section) == Setup.PASSIVE || offer.setupOf(section) == Setup.HOLDCONN) {
      return "offer's a=setup is "
          + offer.setupOf(section).attribute()
          + "; camflow is DTLS server (passive), the player must be active or actpass";
    }
    if (!section.rtcpMux()) {
      return "offer does not multiplex RTP and RTCP (a=rtcp-mux); camflow has one UDP port";
    }
    return null;
  }

  /** Either a codec or the reason none fits. */
  record VideoChoice(ChosenCodec codec, String problem) {}

  private static VideoChoice chooseVideo(
      MediaDescription section, StreamCodecs stream, ProfileMatching matching) {
    return stream.video() == Codec.H264
        ? chooseH264(section, stream.h264Profile(), matching)
        : H265Choice.choose(section, stream.h265());
  }

  private record H264Candidate(
      int order, int payloadType, RtpMap rtpMap, Fmtp fmtp, H264ProfileLevelId profile) {}

  private static VideoChoice chooseH264(
      MediaDescription section, H264ProfileLevelId streamProfile, ProfileMatching matching) {
    List<H264Candidate> mode1 = new ArrayList<>();
    boolean anyH264 = false;
    List<Integer> payloadTypes = section.payloadTypes();
    for (int order = 0; order < payloadTypes.size(); order++) {
      int pt = payloadTypes.get(order);
      Optional<RtpMap> map = section.rtpMap(pt);
      if (map.isEmpty() || !map.get().is("H264", 90_000)) {
        continue;
      }
      anyH264 = true;
      Fmtp fmtp = section.fmtp(pt);
      if (!fmtp.get("packetization-mode", "0").equals("1")) {
        continue;
      }
      H264ProfileLevelId profile;
      try {
        profile =
            fmtp.parameters().containsKey("profile-level-id")
                ? H264ProfileLevelId.parse(fmtp.get("profile-level-id", ""))
                : H264ProfileLevelId.DEFAULT;
      } catch (IllegalArgumentException malformed) {
        continue; // a payload type nobody can interpret is one we cannot pick
      }
      mode1.add(new H264Candidate(order, pt, map.get(), fmtp, profile));
    }
    if (!anyH264) {
      return new VideoChoice(null, "offer has no H.264 video (the stream is H.264)");
    }
    if (mode1.isEmpty()) {
      return new VideoChoice(null, "offer has no H.264 with packetization-mode 1");
    }
    H264Profile wanted = streamProfile.profile();
    Optional<H264Candidate> best =
        mode1.stream()
            .filter(c -> compatible(c.profile(), streamProfile))
            // the identical profile first, then the narrowest decoder that fits, then one that lets
            // the stream's level differ from the offered one, then the highest level
            .min(
                Comparator.comparing((H264Candidate c) -> c.profile().profile() != wanted)
                    .thenComparing(c -> c.profile().profile().ordinal())
                    .thenComparing(c -> !c.fmtp().get("level-asymmetry-allowed", "0").equals("1"))
                    .thenComparing(c -> -c.profile().levelIdc())
                    .thenComparing(H264Candidate::order));
    if (best.isEmpty() && matching == ProfileMatching.ANY) {
      best = mode1.stream().findFirst();
    }
    if (best.isEmpty()) {
      Set<String> offered = new LinkedHashSet<>();
      mode1.forEach(c -> offered.add(c.profile().describe()));
      return new VideoChoice(
          null,
          "offer has no H.264 profile matching "
              + streamProfile.describe()
              + " (offered: "
              + String.join(", ", offered)
              + ")");
    }
    H264Candidate c = best.get();
    return new VideoChoice(
        new ChosenCodec(
            c.payloadType(), c.rtpMap(), h264AnswerFmtp(c), feedback(section, c.payloadType())),
        null);
  }

  /** Levels do not count: browsers offer 3.1 and decode far beyond it. */
  private static boolean compatible(H264ProfileLevelId offered, H264ProfileLevelId stream) {
    H264Profile profile = offered.profile();
    return profile == H264Profile.OTHER
        ? offered.profileIdc() == stream.profileIdc()
        : profile.decodes(stream.profile());
  }

  /**
   * The offered profile-level-id echoed back: RFC 6184 8.2.2 has the answerer keep the offered
   * profile, and browsers match the answer to their offer by it. What camflow actually sends is the
   * stream; the parameter sets in-band tell the decoder the rest.
   */
  private static String h264AnswerFmtp(H264Candidate c) {
    StringBuilder fmtp = new StringBuilder();
    if (c.fmtp().get("level-asymmetry-allowed", "0").equals("1")) {
      fmtp.append("level-asymmetry-allowed=1;");
    }
    fmtp.append("packetization-mode=1");
    if (c.fmtp().parameters().containsKey("profile-level-id")) {
      fmtp.append(";profile-level-id=").append(c.profile());
    }
    return fmtp.toString();
  }

  private static Optional<ChosenCodec> chooseAudio(MediaDescription section, RtpAudioCodec codec) {
    for (int pt : section.payloadTypes()) {
      Optional<RtpMap> map = section.rtpMap(pt);
      if (map.isPresent() && codec.matches(map.get())) {
        String fmtp = codec == RtpAudioCodec.OPUS ? section.fmtp(pt).raw() : "";
        return Optional.of(new ChosenCodec(pt, map.get(), fmtp, feedback(section, pt)));
      }
    }
    return Optional.empty();
  }

  static List<RtcpFeedback> feedback(MediaDescription section, int payloadType) {
    Set<String> seen = new LinkedHashSet<>();
    List<RtcpFeedback> answered = new ArrayList<>();
    for (RtcpFeedback f : section.rtcpFeedback(payloadType)) {
      if (SUPPORTED_FEEDBACK.contains(f.value()) && seen.add(f.value())) {
        answered.add(new RtcpFeedback(Integer.toString(payloadType), f.type(), f.parameter()));
      }
    }
    return answered;
  }
}
