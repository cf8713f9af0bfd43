package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import io.camflow.media.sdp.SessionDescription;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamDescriptionTest {

  static final RtspUrl URL = RtspUrl.parse("rtsp://h:8554/cam/main").orElseThrow();
  static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1E, 0x11};
  static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};

  @Test
  void h264WithItsParameterSetsAndG711() {
    String sdp = new StreamDescription(Codec.H264, List.of(SPS, PPS), Codec.PCMA).sdp(URL, 42);
    assertTrue(
        sdp.contains(
            "a=fmtp:96 packetization-mode=1;profile-level-id=42c01e;"
                + "sprop-parameter-sets=Z0LAHhE=,aM48gA==\r\n"),
        sdp);
    assertTrue(sdp.contains("m=audio 0 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n"), sdp);
    assertTrue(sdp.contains("a=control:rtsp://h:8554/cam/main/trackID=1\r\n"), sdp);
    assertEquals(
        2, SessionDescription.parse(sdp).media().size(), "a parseable SDP with two tracks");
  }

  @Test
  void h265WithVpsSpsPps() {
    byte[] vps = {0x40, 0x01, 0x0C};
    byte[] sps = {0x42, 0x01, 0x01};
    byte[] pps = {0x44, 0x01, (byte) 0xC1};
    String sdp = new StreamDescription(Codec.H265, List.of(vps, sps, pps), null).sdp(URL, 1);
    assertTrue(sdp.contains("a=rtpmap:96 H265/90000\r\n"), sdp);
    assertTrue(sdp.contains("a=fmtp:96 sprop-vps=QAEM;sprop-sps=QgEB;sprop-pps=RAHB\r\n"), sdp);
    assertTrue(!sdp.contains("m=audio"), sdp);
  }

  @Test
  void withoutParameterSetsTheyComeInBand() {
    String sdp = new StreamDescription(Codec.H264, List.of(), null).sdp(URL, 1);
    assertTrue(sdp.contains("a=fmtp:96 packetization-mode=1\r\n"), sdp);
  }

  @Test
  void aacAsAacHbrWithItsConfig() {
    String sdp =
        new StreamDescription(
                Codec.H264, List.of(SPS, PPS), Codec.AAC, new byte[] {0x11, (byte) 0x88}, 48_000, 1)
            .sdp(URL, 1);
    assertTrue(
        sdp.contains(
            "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/48000/1\r\n"
                + "a=fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;"
                + "indexlength=3;indexdeltalength=3;config=1188\r\n"),
        sdp);
  }

  @Test
  void videoIsH264OrH265AndAacNeedsItsConfig() {
    assertThrows(
        IllegalArgumentException.class, () -> new StreamDescription(Codec.AAC, List.of(), null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new StreamDescription(Codec.H264, List.of(), Codec.AAC));
  }
}
