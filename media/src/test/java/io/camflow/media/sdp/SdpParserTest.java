package io.camflow.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

class SdpParserTest {

  static final List<String> OFFERS = Offers.ALL;

  @ParameterizedTest
  @FieldSource("OFFERS")
  void everyStoredOfferParsesWithItsTransportAttributes(String name) {
    SessionDescription offer = Offers.parse(name);
    assertFalse(offer.media().isEmpty());
    assertEquals(1, offer.groups().stream().filter(Group::isBundle).count(), "one BUNDLE group");
    for (MediaDescription m : offer.media()) {
      assertTrue(
          m.mid() != null && offer.bundleGroupOf(m.mid()).isPresent(),
          "every section bundled: " + m.mid());
      assertTrue(offer.iceOf(m).ufrag() != null && offer.iceOf(m).pwd() != null, "ICE credentials");
      assertEquals("sha-256", offer.fingerprintsOf(m).get(0).hashFunction());
      assertEquals(32, offer.fingerprintsOf(m).get(0).digest().length);
      assertEquals(Setup.ACTPASS, offer.setupOf(m));
      if (!m.media().equals("application")) {
        assertEquals(Direction.RECVONLY, offer.directionOf(m));
        assertTrue(m.rtcpMux());
        assertEquals("UDP/TLS/RTP/SAVPF", m.protocol());
      }
    }
  }

  @Test
  void chromiumOfferInDetail() {
    SessionDescription offer = Offers.parse(Offers.CHROMIUM_VIDEO_AUDIO);
    assertEquals("-", offer.origin().username());
    assertEquals("127.0.0.1", offer.origin().address());
    assertEquals(List.of("0", "1"), offer.groups().get(0).mids());
    MediaDescription video = offer.media().get(0);
    assertEquals("video", video.media());
    assertEquals(9, video.port());
    assertEquals(34, video.formats().size());
    assertEquals("0", video.mid());
    assertEquals(new RtpMap(102, "H264", 90_000, 0), video.rtpMaps().get(102));
    assertEquals(
        Map.of(
            "level-asymmetry-allowed",
            "1",
            "packetization-mode",
            "1",
            "profile-level-id",
            "42001f"),
        video.fmtp(102).parameters());
    assertEquals(
        List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
        video.rtcpFeedback(102).stream().map(RtcpFeedback::value).toList());
    assertEquals(List.of("trickle"), video.ice().options());
    assertEquals(11, video.extMaps().size());
    assertEquals(
        new ExtMap(9, null, "urn:ietf:params:rtp-hdrext:sdes:mid", ""), video.extMaps().get(8));
    assertEquals(2, video.candidates().size());
    Candidate candidate = video.candidates().get(0);
    assertTrue(candidate.address().endsWith(".local"), "mDNS host candidate");
    assertEquals("host", candidate.type());
    assertEquals("udp", candidate.transport());
    assertEquals(1, candidate.component());
    assertEquals("0", candidate.extensions().get("generation"));
    MediaDescription audio = offer.media().get(1);
    assertEquals(new RtpMap(111, "opus", 48_000, 2), audio.rtpMaps().get(111));
    assertEquals(new RtpMap(0, "PCMU", 8000, 1), audio.rtpMap(0).orElseThrow());
    assertEquals("111/111", audio.fmtp(63).raw());
    assertTrue(audio.attributes().contains(new Attribute("rtcp-rsize", null)));
  }

  @Test
  void firefoxStyleOfferKeepsTheFingerprintAtSessionLevel() {
    SessionDescription offer = Offers.parse(Offers.FIREFOX);
    MediaDescription video = offer.media().get(0);
    assertTrue(video.fingerprints().isEmpty());
    assertEquals(
        "5C:29:0F:2A:78:CC:7E:21:84:D3:20:10:39:44:0B:70:14:15:1D:37:48:B4:9B:F6:D3:01:9E:E5:33:DC:5A:61",
        offer.fingerprintsOf(video).get(0).value());
    assertEquals(new Connection("IN", "IP4", "192.168.1.23"), video.connection());
    assertEquals(
        new ExtMap(
            6,
            Direction.RECVONLY,
            "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
            ""),
        video.extMaps().get(3));
    Candidate srflx = video.candidates().get(2);
    assertEquals("srflx", srflx.type());
    assertEquals(Map.of("raddr", "192.168.1.23", "rport", "50000"), srflx.extensions());
    assertEquals("active", video.candidates().get(1).extensions().get("tcptype"));
    assertEquals(
        new SsrcAttribute(2675465397L, "cname", "{c6f1e2a4-2b1e-4f0a-9d3c-5a7b8e9f0a1b}"),
        video.ssrcs().get(0));
    assertTrue(video.attributes().contains(new Attribute("end-of-candidates", null)));
  }

  @Test
  void whepPlayerStyleOfferHasLfLinesStringMidsAndBundleOnly() {
    SessionDescription offer = Offers.parse(Offers.WHEP_PLAYER);
    assertEquals(
        List.of("video0", "audio1"), offer.media().stream().map(MediaDescription::mid).toList());
    MediaDescription audio = offer.media().get(1);
    assertEquals(0, audio.port());
    assertTrue(audio.bundleOnly());
    assertTrue(audio.isActive());
    assertEquals(List.of(8, 0), audio.payloadTypes());
  }

  @Test
  void sessionLevelValuesApplyWhereASectionHasNone() {
    SessionDescription offer =
        SessionDescription.parse(
            String.join(
                "\r\n",
                "v=0",
                "o=- 1 1 IN IP4 0.0.0.0",
                "s=-",
                "t=0 0",
                "a=ice-ufrag:sess",
                "a=ice-pwd:sessionpasswordsessionpw",
                "a=setup:active",
                "a=recvonly",
                "m=video 9 UDP/TLS/RTP/SAVPF 96",
                "a=ice-ufrag:medi",
                "a=msid:stream track",
                "a=msid:other",
                "m=video 9 UDP/TLS/RTP/SAVPF 96",
                "a=inactive",
                ""));
    MediaDescription first = offer.media().get(0);
    assertEquals("medi", offer.iceOf(first).ufrag());
    assertEquals("sessionpasswordsessionpw", offer.iceOf(first).pwd());
    assertEquals(Setup.ACTIVE, offer.setupOf(first));
    assertEquals(Direction.RECVONLY, offer.directionOf(first));
    assertEquals(Direction.INACTIVE, offer.directionOf(offer.media().get(1)));
    assertEquals(List.of(new Msid("stream", "track"), new Msid("other", "")), first.msids());
    assertNull(first.mid());
    assertFalse(
        offer.ice().toString().contains("sessionpassword"), "toString hides the ICE password");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      not v first            | o=- 1 1 IN IP4 0.0.0.0                  | 1 | must begin with v=0
      wrong version          | v=1                                     | 1 | must begin with v=0
      no equals sign         | v=0\\na:rtcp-mux                         | 2 | expected '<letter>=<value>'
      upper-case type        | v=0\\nA=rtcp-mux                         | 2 | expected '<letter>=<value>'
      short origin           | v=0\\no=- 1 IN IP4 0.0.0.0               | 2 | origin must be
      origin in media        | v=0\\no=- 1 1 IN IP4 x\\ns=-\\nm=video 9 RTP/AVP 96\\no=- 1 1 IN IP4 x | 5 | belongs before the first m= line
      bad connection         | v=0\\nc=IN IP5 1.2.3.4                   | 2 | connection must be
      bad port               | v=0\\nm=video 9x UDP/TLS/RTP/SAVPF 96    | 2 | port must be a number
      port too large         | v=0\\nm=video 70000 RTP/AVP 96           | 2 | port must be at most 65535
      no formats             | v=0\\nm=video 9 RTP/AVP                  | 2 | media must be
      rtpmap without rate    | v=0\\nm=video 9 RTP/AVP 96\\na=rtpmap:96 H264 | 3 | rtpmap must be
      rtpmap pt too large    | v=0\\nm=video 9 RTP/AVP 96\\na=rtpmap:300 H264/90000 | 3 | payload type must be at most 127
      rtpmap twice           | v=0\\nm=video 9 RTP/AVP 96\\na=rtpmap:96 H264/90000\\na=rtpmap:96 VP8/90000 | 4 | second rtpmap
      rate not a number      | v=0\\nm=video 9 RTP/AVP 96\\na=rtpmap:96 H264/ninety | 3 | clock rate must be a number
      empty fmtp             | v=0\\nm=video 9 RTP/AVP 96\\na=fmtp:      | 3 | a=fmtp needs a value
      bad fingerprint        | v=0\\na=fingerprint:sha-256 ZZ:00         | 2 | colon-separated hex pairs
      fingerprint no hash    | v=0\\na=fingerprint:AB:CD                 | 2 | '<hash function> <hex pairs>'
      bad setup              | v=0\\na=setup:sometimes                   | 2 | actpass, active, passive or holdconn
      two directions         | v=0\\nm=video 9 RTP/AVP 96\\na=recvonly\\na=sendonly | 4 | second direction attribute
      mid at session level   | v=0\\na=mid:0                             | 2 | belongs in a media section
      two mids               | v=0\\nm=video 9 RTP/AVP 96\\na=mid:0\\na=mid:1 | 4 | second a=mid
      group in media         | v=0\\nm=video 9 RTP/AVP 96\\na=group:BUNDLE 0 | 3 | belongs at session level
      candidate without typ  | v=0\\nm=video 9 RTP/AVP 96\\na=candidate:1 1 udp 1 10.0.0.1 5000 host | 3 | candidate must be
      candidate bad port     | v=0\\nm=video 9 RTP/AVP 96\\na=candidate:1 1 udp 1 10.0.0.1 99999 typ host | 3 | candidate port must be at most 65535
      candidate component 0  | v=0\\nm=video 9 RTP/AVP 96\\na=candidate:1 0 udp 1 10.0.0.1 9 typ host | 3 | component must be 1..256
      candidate odd extension| v=0\\nm=video 9 RTP/AVP 96\\na=candidate:1 1 udp 1 10.0.0.1 9 typ host generation | 3 | candidate must be
      extmap id 0            | v=0\\nm=video 9 RTP/AVP 96\\na=extmap:0 urn:x | 3 | extmap id must be 1..255
      extmap bad direction   | v=0\\nm=video 9 RTP/AVP 96\\na=extmap:1/sideways urn:x | 3 | extmap direction
      ssrc too large         | v=0\\nm=video 9 RTP/AVP 96\\na=ssrc:4294967296 cname:x | 3 | ssrc must be at most 4294967295
      rtcp-fb without type   | v=0\\nm=video 9 RTP/AVP 96\\na=rtcp-fb:96 | 3 | rtcp-fb must be
      empty ufrag            | v=0\\na=ice-ufrag:                        | 2 | ice-ufrag must be 1..256 characters
      second v               | v=0\\nv=0                                 | 2 | second v= line
      attribute name space   | v=0\\na=rtp map:96 H264/90000             | 2 | attribute name must be a token
      """)
  void malformedLinesFailNamingTheLine(String caseName, String sdp, int line, String message) {
    SdpParseException e =
        assertThrows(
            SdpParseException.class, () -> SessionDescription.parse(sdp.replace("\\n", "\r\n")));
    assertEquals(line, e.lineNumber(), e.getMessage());
    assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("SDP line " + line + " ("), e.getMessage());
  }

  @Test
  void wholeDescriptionProblemsHaveNoLine() {
    assertEquals(
        "SDP: empty description (no v=0 line)",
        assertThrows(SdpParseException.class, () -> SessionDescription.parse("\r\n")).getMessage());
    assertEquals(
        "SDP: no o= line",
        assertThrows(SdpParseException.class, () -> SessionDescription.parse("v=0\r\ns=-\r\n"))
            .getMessage());
    assertEquals(
        "SDP: no s= line",
        assertThrows(
                SdpParseException.class,
                () -> SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n"))
            .getMessage());
    String twoMids =
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nm=video 9 RTP/AVP 96\r\na=mid:a\r\n"
            + "m=audio 9 RTP/AVP 0\r\na=mid:a\r\n";
    assertTrue(
        assertThrows(SdpParseException.class, () -> SessionDescription.parse(twoMids))
            .getMessage()
            .contains("mid 'a' names two media sections"));
    String huge = "v=0\r\n" + "a=x\r\n".repeat(20_000);
    assertTrue(
        assertThrows(SdpParseException.class, () -> SessionDescription.parse(huge))
            .getMessage()
            .contains("exceeds the limit of 65536"));
  }

  @Test
  void longValuesParseInLinearTime() {
    String pairs = "AB:".repeat(20_000) + "CD";
    SessionDescription offer =
        SessionDescription.parse(
            "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=fingerprint:sha-256 " + pairs + "\r\n");
    assertEquals(20_001, offer.fingerprints().get(0).digest().length);
  }

  @Test
  void errorMessagesNeverRepeatTheIcePassword() {
    SdpParseException e =
        assertThrows(
            SdpParseException.class,
            () -> SessionDescription.parse("v=0\r\na=ice-pwd:secret with spaces\r\n"));
    assertEquals(2, e.lineNumber());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }
}
