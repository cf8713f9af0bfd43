package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import io.camflow.media.sdp.SdpParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnnouncedStreamTest {

  static final String SPS = "Z2QAHqzZQKA9sBEAAAMAAQAAAwAyDxYtlg==";
  static final String PPS = "aOvjyyLA";

  /** What FFmpeg 5.1 (Debian 12) announces for H.264 and AAC. */
  static final String FFMPEG =
      """
      v=0\r
      o=- 0 0 IN IP4 127.0.0.1\r
      s=No Name\r
      c=IN IP4 127.0.0.1\r
      t=0 0\r
      a=tool:libavformat 59.27.100\r
      m=video 0 RTP/AVP 96\r
      b=AS:1000\r
      a=rtpmap:96 H264/90000\r
      a=fmtp:96 packetization-mode=1; sprop-parameter-sets=%s,%s; profile-level-id=64001E\r
      a=control:streamid=0\r
      m=audio 0 RTP/AVP 97\r
      b=AS:128\r
      a=rtpmap:97 MPEG4-GENERIC/48000/2\r
      a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=1190\r
      a=control:streamid=1\r
      """
          .formatted(SPS, PPS);

  @Test
  void ffmpegsH264AndAacAreBothRecordedWithTheirConfiguration() {
    AnnouncedStream s = AnnouncedStream.parse(FFMPEG);
    assertEquals(2, s.tracks().size());
    assertEquals(Optional.of(0), s.indexOf("streamid=0"));
    assertEquals(Optional.of(1), s.indexOf("streamid=1"));
    AnnouncedStream.Track video = s.tracks().get(0);
    assertEquals(Codec.H264, video.track().codec());
    assertEquals(90_000, video.track().clockRate());
    byte[] sps = Base64.getDecoder().decode(SPS);
    byte[] pps = Base64.getDecoder().decode(PPS);
    byte[] annexB = new byte[8 + sps.length + pps.length];
    annexB[3] = 1;
    System.arraycopy(sps, 0, annexB, 4, sps.length);
    annexB[4 + sps.length + 3] = 1;
    System.arraycopy(pps, 0, annexB, 8 + sps.length, pps.length);
    assertArrayEquals(annexB, video.track().config(), "sprop-parameter-sets in Annex B");
    AnnouncedStream.Track audio = s.tracks().get(1);
    assertEquals(Codec.AAC, audio.track().codec());
    assertEquals(48_000, audio.track().clockRate());
    assertEquals(2, audio.track().channels());
    assertEquals(1, audio.track().index());
    assertArrayEquals(HexFormat.of().parseHex("1190"), audio.track().config());
  }

  @Test
  void withoutControlTheTracksAreNamedAsCamflowNamesThem() {
    String sdp =
        "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n"
            + "m=audio 0 RTP/AVP 8\r\n";
    AnnouncedStream s = AnnouncedStream.parse(sdp);
    assertEquals(Optional.of(0), s.indexOf("trackID=0"));
    assertEquals(Codec.H265, s.tracks().get(0).track().codec());
    assertEquals(0, s.tracks().get(0).track().config().length, "parameter sets come in-band");
    assertEquals(Codec.PCMA, s.tracks().get(1).track().codec(), "static payload type 8");
    assertEquals(Optional.of(1), s.indexOf("trackID=1"));
  }

  @Test
  void anAbsoluteControlUrlIsKnownByItsLastSegment() {
    String sdp =
        "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
            + "a=control:rtsp://10.0.0.5:8554/pub/main/stream=0\r\n";
    assertEquals(Optional.of(0), AnnouncedStream.parse(sdp).indexOf("stream=0"));
  }

  @Test
  void audioCamflowDoesNotKeepIsSetUpButNotRecorded() {
    String sdp =
        "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
            + "m=audio 0 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n";
    AnnouncedStream s = AnnouncedStream.parse(sdp);
    assertFalse(s.tracks().get(1).kept());
    assertTrue(s.tracks().get(1).ignored().contains("opus"), s.tracks().get(1).ignored());
    assertEquals(1, s.kept().size());
  }

  @Test
  void whatCannotBeRecordedIsRefusedWithTheReason() {
    String head = "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
    IllegalArgumentException vp8 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AnnouncedStream.parse(head + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n"));
    assertTrue(vp8.getMessage().contains("H.264 or H.265"), vp8.getMessage());
    IllegalArgumentException audioOnly =
        assertThrows(
            IllegalArgumentException.class,
            () -> AnnouncedStream.parse(head + "m=audio 0 RTP/AVP 0\r\n"));
    assertTrue(audioOnly.getMessage().contains("no video"), audioOnly.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AnnouncedStream.parse(
                head
                    + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                    + "m=video 0 RTP/AVP 97\r\na=rtpmap:97 H264/90000\r\n"),
        "two videos");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AnnouncedStream.parse(
                head
                    + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                    + "a=fmtp:96 sprop-parameter-sets=@@@\r\n"),
        "sprop not base64");
    IllegalArgumentException don =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AnnouncedStream.parse(
                    head
                        + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H265/90000\r\n"
                        + "a=fmtp:96 sprop-max-don-diff=2\r\n"));
    assertTrue(don.getMessage().contains("decoding order"), don.getMessage());
    assertThrows(SdpParseException.class, () -> AnnouncedStream.parse("not sdp"));
  }
}
