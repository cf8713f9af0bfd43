package io.camflow.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.H265Sps;
import io.camflow.media.testing.Bitstreams;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** H.265 streams against the H.265 that Chrome (hardware decoding) and Safari offer. */
class H265NegotiationTest {

  /** x265 on 1280x720 25 fps: Main, Main tier, level 3.1 (93), from the stream's real SPS. */
  static final H265ProfileTierLevel MAIN = sps("h265_720p25.h265");

  /** x265 10-bit on 1000x564 30 fps: Main 10, Main tier, level 3.1. */
  static final H265ProfileTierLevel MAIN_10 = sps("h265_564p30_main10.h265");

  @Test
  void streamsDescribeThemselvesFromTheirSps() {
    assertEquals(new H265ProfileTierLevel(1, 0, 93), MAIN);
    assertEquals("Main, Main tier, level 3.1", MAIN.describe());
    assertEquals("Main 10, Main tier, level 3.1", MAIN_10.describe());
    assertEquals("Main, High tier, level 5", new H265ProfileTierLevel(1, 1, 150).describe());
    assertEquals(
        "profile-id 9, Main tier, level 6.2", new H265ProfileTierLevel(9, 0, 186).describe());
    assertThrows(IllegalArgumentException.class, () -> new H265ProfileTierLevel(1, 2, 93));
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      chromium-h265-hardware.sdp | main    | 49 | level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST
      chromium-h265-hardware.sdp | main10  | 51 | level-id=93;profile-id=2;tier-flag=0;tx-mode=SRST
      chromium-h265-hardware.sdp | level51 | 49 | level-id=153;profile-id=1;tier-flag=0;tx-mode=SRST
      chromium-h265-hardware.sdp | unknown | 49 | level-id=180;profile-id=1;tier-flag=0;tx-mode=SRST
      safari-style.sdp           | main    | 98 | level-id=93;profile-id=1;tier-flag=0
      safari-style.sdp           | level51 | 98 | level-id=153;profile-id=1;tier-flag=0
      """)
  void picksTheOfferedH265ThatDecodesTheStream(
      String offer, String stream, int payloadType, String fmtp) {
    Negotiation.Agreed agreed =
        assertInstanceOf(
            Negotiation.Agreed.class,
            Negotiator.negotiate(
                Offers.parse(offer),
                StreamCodecs.h265(streamOf(stream), null),
                ProfileMatching.COMPATIBLE));
    ChosenCodec video = agreed.video().codec();
    assertEquals(payloadType, video.payloadType());
    assertTrue(video.rtpMap().is("H265", 90_000));
    assertEquals(
        fmtp, video.fmtp(), "profile-id, tier-flag and tx-mode as offered; the stream's level");
    // offered: goog-remb, transport-cc, ccm fir, nack, nack pli; the rtx payload type is not
    // answered
    assertEquals(
        List.of("ccm fir", "nack", "nack pli"),
        video.feedback().stream().map(RtcpFeedback::value).toList());
  }

  @Test
  void aMain10DecoderTakesAMainStreamWhenNoMainIsOffered() {
    String onlyMain10 = Offers.text(Offers.CHROMIUM_H265).replace("profile-id=1", "profile-id=2");
    ChosenCodec video =
        ((Negotiation.Agreed)
                Negotiator.negotiate(
                    SessionDescription.parse(onlyMain10),
                    StreamCodecs.h265(MAIN, null),
                    ProfileMatching.COMPATIBLE))
            .video()
            .codec();
    assertEquals(49, video.payloadType());
    assertEquals("level-id=93;profile-id=2;tier-flag=0;tx-mode=SRST", video.fmtp());
  }

  @Test
  void answerCarriesTheH265LineAndAudio() {
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                Offers.parse(Offers.CHROMIUM_H265),
                StreamCodecs.h265(MAIN, RtpAudioCodec.OPUS),
                ProfileMatching.COMPATIBLE);
    String answer =
        AnswerWriter.write(agreed, AnswerWriterTest.TRANSPORT, AnswerWriterTest.TRACKS, 1);
    assertTrue(answer.contains("m=video 8189 UDP/TLS/RTP/SAVPF 49\r\n"), answer);
    assertTrue(answer.contains("a=rtpmap:49 H265/90000\r\n"), answer);
    assertTrue(
        answer.contains("a=fmtp:49 level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST\r\n"), answer);
    assertTrue(answer.contains("a=rtcp-fb:49 nack pli\r\n"), answer);
    assertTrue(!answer.contains("rtx"), "camflow answers no retransmission payload type");
    assertEquals(111, agreed.audio().orElseThrow().codec().payloadType());
  }

  @Test
  void anOfferWithoutH265IsRefusedSoThePlayerFallsBackToMse() {
    assertEquals(
        new Negotiation.Refused(
            "the stream is H.265 and this browser offers no H.265 for WebRTC; play it over MSE or HLS"),
        Negotiator.negotiate(
            Offers.parse(Offers.CHROMIUM_VIDEO_AUDIO),
            StreamCodecs.h265(MAIN, null),
            ProfileMatching.ANY));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      Safari has no Main 10      | safari-style.sdp           | main10  | ''            | ''           | the stream is H.265 Main 10, Main tier, level 3.1 and this browser's H.265 for WebRTC cannot decode it (offered: Main, Main tier, level 3.1); play it over MSE or HLS
      level above the offer's    | chromium-h265-hardware.sdp | main    | level-id=180  | level-id=90  | the stream is H.265 Main, Main tier, level 3.1 and this browser's H.265 for WebRTC cannot decode it (offered: Main, Main tier, level 3; Main 10, Main tier, level 3); play it over MSE or HLS
      High tier stream           | chromium-h265-hardware.sdp | high    | ''            | ''           | the stream is H.265 Main, High tier, level 5 and this browser's H.265 for WebRTC cannot decode it (offered: Main, Main tier, level 6; Main 10, Main tier, level 6); play it over MSE or HLS
      only multi-stream tx-mode  | chromium-h265-hardware.sdp | main    | tx-mode=SRST  | tx-mode=MRST | the stream is H.265 Main, Main tier, level 3.1 and this browser's H.265 for WebRTC cannot decode it (offered: none camflow can send); play it over MSE or HLS
      unreadable profile-id      | chromium-h265-hardware.sdp | main    | profile-id=   | profile-id=x | the stream is H.265 Main, Main tier, level 3.1 and this browser's H.265 for WebRTC cannot decode it (offered: none camflow can send); play it over MSE or HLS
      """)
  void refusesH265ItCannotSendWithAReason(
      String caseName, String offer, String stream, String from, String to, String reason) {
    String text = from.isEmpty() ? Offers.text(offer) : Offers.text(offer).replace(from, to);
    assertEquals(
        new Negotiation.Refused(reason),
        Negotiator.negotiate(
            SessionDescription.parse(text),
            StreamCodecs.h265(streamOf(stream), null),
            ProfileMatching.ANY));
  }

  @Test
  void h264StreamsIgnoreTheOfferedH265() {
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                Offers.parse(Offers.SAFARI),
                StreamCodecs.h264(NegotiatorTest.BASELINE, null),
                ProfileMatching.COMPATIBLE);
    assertTrue(agreed.video().codec().rtpMap().is("H264", 90_000));
  }

  private static H265ProfileTierLevel streamOf(String name) {
    return switch (name) {
      case "main" -> MAIN;
      case "main10" -> MAIN_10;
      case "level51" -> new H265ProfileTierLevel(1, 0, 153);
      case "high" -> new H265ProfileTierLevel(1, 1, 150);
      case "unknown" -> H265ProfileTierLevel.UNKNOWN;
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static H265ProfileTierLevel sps(String resource) {
    return H265ProfileTierLevel.of(H265Sps.parse(Bitstreams.firstH265(resource, H265NalType.SPS)));
  }
}
