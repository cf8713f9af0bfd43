package io.camflow.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class AnswerWriterTest {

  static final Fingerprint FINGERPRINT =
      Fingerprint.sha256(
          HexFormat.of()
              .parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
  static final LocalTransport TRANSPORT =
      new LocalTransport(
          "cfUf",
          "camflowIcePasswordOf24ch",
          FINGERPRINT,
          List.of(new HostCandidate("192.0.2.10", 8189), new HostCandidate("2001:db8::10", 8189)));
  static final LocalTracks TRACKS =
      new LocalTracks("camflow-demo-main", 11111111L, 22222222L, "camflow");
  static final List<String> OFFERS = Offers.ALL;

  @Test
  void goldenAnswerToChromium() {
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                Offers.parse(Offers.CHROMIUM_DATACHANNEL),
                StreamCodecs.h264(NegotiatorTest.MAIN, RtpAudioCodec.OPUS),
                ProfileMatching.COMPATIBLE);
    String answer = AnswerWriter.write(agreed, TRANSPORT, TRACKS, 4242);
    assertEquals(
        String.join(
            "\r\n",
            "v=0",
            "o=camflow 4242 1 IN IP4 0.0.0.0",
            "s=-",
            "t=0 0",
            "a=ice-lite",
            "a=group:BUNDLE 0 1",
            "a=msid-semantic: WMS camflow-demo-main",
            "m=video 8189 UDP/TLS/RTP/SAVPF 116",
            "c=IN IP4 192.0.2.10",
            "a=mid:0",
            "a=sendonly",
            "a=ice-ufrag:cfUf",
            "a=ice-pwd:camflowIcePasswordOf24ch",
            "a=fingerprint:sha-256 " + FINGERPRINT.value(),
            "a=setup:passive",
            "a=rtcp-mux",
            "a=rtpmap:116 H264/90000",
            "a=rtcp-fb:116 ccm fir",
            "a=rtcp-fb:116 nack",
            "a=rtcp-fb:116 nack pli",
            "a=fmtp:116 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f",
            "a=msid:camflow-demo-main video0",
            "a=ssrc:11111111 cname:camflow",
            "a=ssrc:11111111 msid:camflow-demo-main video0",
            "a=candidate:1 1 udp 2130706431 192.0.2.10 8189 typ host",
            "a=candidate:2 1 udp 2130706175 2001:db8::10 8189 typ host",
            "a=end-of-candidates",
            "m=audio 8189 UDP/TLS/RTP/SAVPF 111",
            "c=IN IP4 192.0.2.10",
            "a=mid:1",
            "a=sendonly",
            "a=ice-ufrag:cfUf",
            "a=ice-pwd:camflowIcePasswordOf24ch",
            "a=fingerprint:sha-256 " + FINGERPRINT.value(),
            "a=setup:passive",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=msid:camflow-demo-main audio0",
            "a=ssrc:22222222 cname:camflow",
            "a=ssrc:22222222 msid:camflow-demo-main audio0",
            "a=candidate:1 1 udp 2130706431 192.0.2.10 8189 typ host",
            "a=candidate:2 1 udp 2130706175 2001:db8::10 8189 typ host",
            "a=end-of-candidates",
            "m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=mid:2",
            "a=inactive",
            ""),
        answer);
  }

  @ParameterizedTest
  @FieldSource("OFFERS")
  void everyAnswerReparsesAndMirrorsTheOffer(String name) {
    SessionDescription offer = Offers.parse(name);
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                offer,
                StreamCodecs.h264(NegotiatorTest.BASELINE, RtpAudioCodec.PCMU),
                ProfileMatching.COMPATIBLE);
    SessionDescription answer =
        SessionDescription.parse(AnswerWriter.write(agreed, TRANSPORT, TRACKS, 7));

    assertTrue(answer.iceLite());
    assertEquals(
        offer.media().size(), answer.media().size(), "one answer section per offered section");
    List<String> accepted =
        answer.media().stream().filter(m -> m.port() != 0).map(MediaDescription::mid).toList();
    assertEquals(
        List.of(accepted),
        answer.groups().stream().map(Group::mids).toList(),
        "BUNDLE = accepted mids");
    for (int i = 0; i < offer.media().size(); i++) {
      MediaDescription offered = offer.media().get(i);
      MediaDescription answered = answer.media().get(i);
      assertEquals(offered.mid(), answered.mid());
      assertEquals(offered.media(), answered.media());
      assertEquals(offered.protocol(), answered.protocol());
      if (answered.port() == 0) {
        assertTrue(agreed.sections().get(i) instanceof SectionAnswer.Rejected);
        assertEquals(Direction.INACTIVE, answered.direction());
        continue;
      }
      assertEquals(8189, answered.port());
      assertEquals(Direction.SENDONLY, answered.direction());
      assertEquals(Setup.PASSIVE, answer.setupOf(answered));
      assertEquals(List.of(FINGERPRINT), answer.fingerprintsOf(answered));
      assertEquals("cfUf", answer.iceOf(answered).ufrag());
      assertTrue(answered.rtcpMux());
      assertEquals(1, answered.payloadTypes().size());
      int pt = answered.payloadTypes().get(0);
      assertEquals(
          offered.rtpMap(pt).orElseThrow().encodingName(),
          answered.rtpMap(pt).orElseThrow().encodingName());
      assertEquals(2, answered.candidates().size());
      assertEquals(1, answered.ssrcs().stream().map(SsrcAttribute::ssrc).distinct().count());
    }
    assertFalse(
        AnswerWriter.write(agreed, TRANSPORT, TRACKS, 7)
            .contains(offer.iceOf(offer.media().get(0)).pwd()),
        "the player's ICE password stays out of the answer");
  }

  @Test
  void answerWithoutBundleInTheOfferHasNoGroup() {
    String offer = Offers.text(Offers.CHROMIUM_VIDEO_AUDIO).replace("a=group:BUNDLE 0 1\r\n", "");
    Negotiation.Agreed agreed =
        (Negotiation.Agreed)
            Negotiator.negotiate(
                SessionDescription.parse(offer),
                StreamCodecs.h264(NegotiatorTest.HIGH, RtpAudioCodec.OPUS),
                ProfileMatching.COMPATIBLE);
    SessionDescription answer =
        SessionDescription.parse(AnswerWriter.write(agreed, TRANSPORT, TRACKS, 7));
    assertTrue(answer.groups().isEmpty());
    assertEquals(List.of(8189, 0), answer.media().stream().map(MediaDescription::port).toList());
  }

  @Test
  void localTransportChecksWhatItWillAnnounce() {
    List<HostCandidate> host = List.of(new HostCandidate("192.0.2.1", 8189));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LocalTransport("abc", "camflowIcePasswordOf24ch", FINGERPRINT, host));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LocalTransport("abcd", "short", FINGERPRINT, host));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new LocalTransport(
                "abcd", "camflowIcePasswordOf24ch", new Fingerprint("sha-1", "00:11"), host));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LocalTransport("abcd", "camflowIcePasswordOf24ch", FINGERPRINT, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new HostCandidate("192.0.2.1", 0));
    assertFalse(TRANSPORT.toString().contains("camflowIcePassword"));
    assertThrows(IllegalArgumentException.class, () -> new LocalTracks("bad id", 1, 2, "c"));
    assertThrows(IllegalArgumentException.class, () -> new LocalTracks("s", 1, 1, "c"));
  }
}
