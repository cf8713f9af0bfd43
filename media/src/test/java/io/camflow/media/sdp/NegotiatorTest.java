package io.camflow.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.h264.H264NalType;
import io.camflow.media.h264.H264Sps;
import io.camflow.media.testing.Bitstreams;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NegotiatorTest {

  /** x264 -profile baseline: 42c00c, Constrained Baseline 1.2, from the stream's real SPS. */
  static final H264ProfileLevelId BASELINE = sps("h264_240p15_baseline.h264");

  static final H264ProfileLevelId MAIN = H264ProfileLevelId.parse("4d0028");

  /** x264 default: 64001f, High 3.1. */
  static final H264ProfileLevelId HIGH = sps("h264_720p25_aud.h264");

  /** x264 4:4:4: f40020. */
  static final H264ProfileLevelId HIGH_444 = sps("h264_768p10_444.h264");

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      chromium-video-audio.sdp     | baseline | 108 | 42e01f
      chromium-video-audio.sdp     | main     | 116 | 4d001f
      chromium-video-audio.sdp     | high     | 41  | f4001f
      chromium-video-audio.sdp     | high444  | 41  | f4001f
      chromium-video-only.sdp      | main     | 116 | 4d001f
      chromium-audio-first.sdp     | high     | 41  | f4001f
      chromium-datachannel.sdp     | baseline | 108 | 42e01f
      chromium-h264-max-bundle.sdp | main     | 116 | 4d001f
      firefox-style.sdp            | baseline | 126 | 42e01f
      whep-player-style.sdp        | baseline | 97  | 42e01f
      whep-player-style.sdp        | main     | 96  | 640028
      whep-player-style.sdp        | high     | 96  | 640028
      chromium-h265-hardware.sdp   | main     | 116 | 4d001f
      safari-style.sdp             | baseline | 100 | 42e01f
      """)
  void picksTheOfferedH264ThatDecodesTheStream(
      String offer, String stream, int payloadType, String profileLevelId) {
    Negotiation.Agreed agreed =
        assertInstanceOf(
            Negotiation.Agreed.class,
            Negotiator.negotiate(
                Offers.parse(offer), streamOf(stream, null), ProfileMatching.COMPATIBLE));
    ChosenCodec video = agreed.video().codec();
    assertEquals(payloadType, video.payloadType());
    assertTrue(video.rtpMap().is("H264", 90_000));
    assertTrue(video.fmtp().contains("packetization-mode=1"), video.fmtp());
    assertTrue(video.fmtp().endsWith("profile-level-id=" + profileLevelId), video.fmtp());
  }

  @Test
  void chromiumGetsFeedbackItOfferedThatCamflowAnswers() {
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                Offers.parse(Offers.CHROMIUM_VIDEO_AUDIO),
                StreamCodecs.h264(MAIN, null),
                ProfileMatching.COMPATIBLE);
    assertEquals(
        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f",
        agreed.video().codec().fmtp());
    // offered: goog-remb, transport-cc, ccm fir, nack, nack pli; camflow answers the last three
    assertEquals(
        List.of("ccm fir", "nack", "nack pli"),
        agreed.video().codec().feedback().stream().map(RtcpFeedback::value).toList());
  }

  @Test
  void prefersLevelAsymmetryThenTheHigherLevelAmongEqualProfiles() {
    String offer =
        Offers.text(Offers.WHEP_PLAYER)
            .replace(
                "a=fmtp:96 packetization-mode=1;profile-level-id=640028",
                "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f")
            .replace(
                "a=fmtp:97 packetization-mode=1;profile-level-id=42e01f",
                "a=fmtp:97 packetization-mode=1;profile-level-id=42e01f;level-asymmetry-allowed=1");
    StreamCodecs baseline = StreamCodecs.h264(BASELINE, null);
    assertEquals(
        97,
        ((Negotiation.Agreed)
                Negotiator.negotiate(
                    SessionDescription.parse(offer), baseline, ProfileMatching.COMPATIBLE))
            .video()
            .codec()
            .payloadType());
    String levels =
        Offers.text(Offers.WHEP_PLAYER)
            .replace("profile-level-id=640028", "profile-level-id=42e01e");
    assertEquals(
        97,
        ((Negotiation.Agreed)
                Negotiator.negotiate(
                    SessionDescription.parse(levels), baseline, ProfileMatching.COMPATIBLE))
            .video()
            .codec()
            .payloadType(),
        "level 3.1 before 3.0");
  }

  @Test
  void refusesAProfileTheOfferCannotDecode() {
    Negotiation result =
        Negotiator.negotiate(
            Offers.parse(Offers.FIREFOX),
            StreamCodecs.h264(MAIN, null),
            ProfileMatching.COMPATIBLE);
    assertEquals(
        new Negotiation.Refused(
            "offer has no H.264 profile matching Main 4.0 (offered: Constrained Baseline 3.1)"),
        result);
  }

  @Test
  void anyProfileFallsBackToTheFirstPacketizationMode1() {
    Negotiation.Agreed agreed =
        assertInstanceOf(
            Negotiation.Agreed.class,
            Negotiator.negotiate(
                Offers.parse(Offers.FIREFOX), StreamCodecs.h264(HIGH, null), ProfileMatching.ANY));
    assertEquals(126, agreed.video().codec().payloadType(), "97 is packetization-mode 0");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      chromium-video-audio.sdp | opus | 111 | opus/48000/2 | minptime=10;useinbandfec=1
      chromium-video-audio.sdp | pcma | 8   | PCMA/8000    | ''
      chromium-audio-first.sdp | pcmu | 0   | PCMU/8000    | ''
      firefox-style.sdp        | opus | 109 | opus/48000/2 | maxplaybackrate=48000;stereo=1;useinbandfec=1
      firefox-style.sdp        | pcmu | 0   | PCMU/8000    | ''
      whep-player-style.sdp    | pcma | 8   | PCMA/8000    | ''
      """)
  void acceptsAudioWhenTheStreamHasACodecTheOfferTakes(
      String offer, String audio, int payloadType, String rtpMap, String fmtp) {
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                Offers.parse(offer),
                streamOf("baseline", RtpAudioCodec.valueOf(audio.toUpperCase())),
                ProfileMatching.COMPATIBLE);
    ChosenCodec codec = agreed.audio().orElseThrow().codec();
    assertEquals(payloadType, codec.payloadType());
    assertEquals(
        rtpMap,
        codec.rtpMap().encodingName()
            + "/"
            + codec.rtpMap().clockRate()
            + (codec.rtpMap().channels() > 1 ? "/" + codec.rtpMap().channels() : ""));
    assertEquals(fmtp, codec.fmtp());
  }

  @Test
  void rejectsSectionsCamflowDoesNotServe() {
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                Offers.parse(Offers.CHROMIUM_DATACHANNEL),
                StreamCodecs.h264(BASELINE, null),
                ProfileMatching.COMPATIBLE);
    assertEquals(
        List.of("Accepted", "Rejected", "Rejected"),
        agreed.sections().stream().map(s -> s.getClass().getSimpleName()).toList());
    assertEquals(
        "the stream has no audio WebRTC can carry",
        ((SectionAnswer.Rejected) agreed.sections().get(1)).reason());
    assertEquals(
        "camflow sends no application",
        ((SectionAnswer.Rejected) agreed.sections().get(2)).reason());
  }

  @Test
  void rejectsAudioWithoutAMatchingCodec() {
    String offer = Offers.text(Offers.WHEP_PLAYER);
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                SessionDescription.parse(offer),
                StreamCodecs.h264(BASELINE, RtpAudioCodec.OPUS),
                ProfileMatching.COMPATIBLE);
    assertEquals(
        "offer's audio has no opus/48000/2",
        ((SectionAnswer.Rejected) agreed.sections().get(1)).reason());
  }

  @Test
  void rejectsAudioOutsideTheVideosBundle() {
    String offer =
        Offers.text(Offers.CHROMIUM_VIDEO_AUDIO).replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                SessionDescription.parse(offer),
                StreamCodecs.h264(BASELINE, RtpAudioCodec.OPUS),
                ProfileMatching.COMPATIBLE);
    assertTrue(((SectionAnswer.Rejected) agreed.sections().get(1)).reason().contains("BUNDLE"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      video send-only     | a=recvonly                        | a=sendonly               | offer's video section is sendonly; a WHEP player must receive (recvonly)
      plain RTP           | UDP/TLS/RTP/SAVPF 96 97           | RTP/AVP 96 97            | offer's video uses RTP/AVP; WebRTC needs UDP/TLS/RTP/SAVPF (DTLS-SRTP)
      no ICE password     | a=ice-pwd:                         | a=x-removed:             | offer has no ICE credentials (a=ice-ufrag and a=ice-pwd)
      no fingerprint      | a=fingerprint:                     | a=x-removed:             | offer has no DTLS certificate fingerprint (a=fingerprint)
      passive player      | a=setup:actpass                    | a=setup:passive          | offer's a=setup is passive; camflow is DTLS server (passive), the player must be active or actpass
      no rtcp-mux         | a=rtcp-mux                         | a=x-removed              | offer does not multiplex RTP and RTCP (a=rtcp-mux); camflow has one UDP port
      no mode 1           | packetization-mode=1               | packetization-mode=0     | offer has no H.264 with packetization-mode 1
      no H.264            | H264/90000                         | VP8/90000                | offer has no H.264 video (the stream is H.264)
      no video            | m=video                            | m=text                   | offer has no video section (add a recvonly video transceiver)
      """)
  void refusesOffersItCannotServeWithAReason(
      String caseName, String from, String to, String reason) {
    String offer = Offers.text(Offers.WHEP_PLAYER).replace(from, to);
    assertEquals(
        new Negotiation.Refused(reason),
        Negotiator.negotiate(
            SessionDescription.parse(offer),
            StreamCodecs.h264(BASELINE, null),
            ProfileMatching.ANY));
  }

  @Test
  void profileLevelIdsDescribeThemselves() {
    assertEquals("Constrained Baseline 1.2", BASELINE.describe());
    assertEquals("High 3.1", HIGH.describe());
    assertEquals("High 4:4:4 Predictive 3.2", HIGH_444.describe());
    assertEquals("Baseline 1b", H264ProfileLevelId.parse("42100b").describe());
    assertEquals("profile_idc 83 3.0", H264ProfileLevelId.parse("53001e").describe());
    assertEquals(H264Profile.CONSTRAINED_HIGH, H264ProfileLevelId.parse("640c1f").profile());
    assertEquals(H264Profile.BASELINE, H264ProfileLevelId.DEFAULT.profile());
  }

  @Test
  void decoderProfilesNest() {
    assertTrue(H264Profile.HIGH.decodes(H264Profile.MAIN));
    assertTrue(H264Profile.MAIN.decodes(H264Profile.CONSTRAINED_BASELINE));
    assertTrue(H264Profile.BASELINE.decodes(H264Profile.CONSTRAINED_BASELINE));
    assertTrue(
        !H264Profile.MAIN.decodes(H264Profile.BASELINE), "Baseline's FMO/ASO are not in Main");
    assertTrue(!H264Profile.CONSTRAINED_BASELINE.decodes(H264Profile.MAIN));
    assertTrue(!H264Profile.HIGH.decodes(H264Profile.HIGH_10));
    assertTrue(!H264Profile.OTHER.decodes(H264Profile.OTHER));
  }

  static StreamCodecs streamOf(String name, RtpAudioCodec audio) {
    return StreamCodecs.h264(
        switch (name) {
          case "baseline" -> BASELINE;
          case "main" -> MAIN;
          case "high" -> HIGH;
          case "high444" -> HIGH_444;
          default -> throw new IllegalArgumentException(name);
        },
        audio);
  }

  private static H264ProfileLevelId sps(String resource) {
    return H264ProfileLevelId.of(H264Sps.parse(Bitstreams.firstH264(resource, H264NalType.SPS)));
  }
}
