package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.gop.Unit;
import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.delivery.transcode.AacSine;
import io.camflow.delivery.transcode.AacToOpus;
import io.camflow.delivery.transcode.OpusTranscoding;
import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import io.camflow.media.sdp.RtpAudioCodec;
import io.camflow.webrtc.WebRtcTransportServer;
import io.camflow.webrtc.WebRtcTransportSettings;
import io.camflow.webrtc.dtls.CertificateFingerprint;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AAC of a stream is transcoded to Opus once, and only while a viewer receives audio: the first
 * such viewer starts it, the last one leaving (or the stream closing) stops it and frees its native
 * transcoder; viewers without audio never start it.
 */
class RtcStreamAudioTest {

  private static final String FINGERPRINT = "sha-256 " + "AB:".repeat(31) + "AB";
  private static WebRtcTransportServer server;
  private static List<AccessUnit> aac;
  private long offset;

  @BeforeAll
  static void start() throws Exception {
    server =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults().withPort(0).withLoopbackCandidates(true));
    aac = AacSine.frames(48_000, 1, 440, 0.5, 2.0, 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private RtcViewer viewer(RtcStream stream, boolean audio) {
    RtcViewer.Tracks tracks =
        new RtcViewer.Tracks(102, 1111, audio ? 111 : -1, 2222, "camflow-test");
    return new RtcViewer(
        "v" + offset++,
        stream,
        server.newSession(
            "ufrag", "passwordPasswordPassword", CertificateFingerprint.parse(FINGERPRINT)),
        tracks,
        48_000,
        0,
        bytes -> {},
        new AddedLatency(),
        new RetransmissionBudget(100, 32_000, System.nanoTime()),
        v -> {});
  }

  private void feed(RtcStream stream, int from, int to) {
    for (AccessUnit au : aac.subList(from, to)) {
      stream.unit(new Unit(au, "s1", offset++, au.pts() / 48, 0));
    }
  }

  private static OpusTranscoding awaitPackets(RtcStream stream) throws InterruptedException {
    OpusTranscoding t = stream.transcoding();
    assertNotNull(t, "transcoding runs");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (t.packets() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(t.packets() > 0, "Opus packets made");
    return t;
  }

  @Test
  void anAacStreamOffersOpusToViewers() throws Exception {
    RtcStream stream = new RtcStream(new StreamKey("cam", "main"));
    byte[] keyframe =
        java.util.HexFormat.of()
            .parseHex(
                "00000001"
                    + "6742c00dd90141fb011000000300100000030320f142a480"
                    + "00000001"
                    + "68cb83cb20"
                    + "00000001"
                    + "6588840af2628000");
    stream.unit(
        new Unit(
            new AccessUnit(0, Codec.H264, 0, 0, 90_000, true, keyframe, null),
            "s1",
            offset++,
            0,
            0));
    feed(stream, 0, 5);
    assertEquals(
        RtpAudioCodec.OPUS, stream.codecs().orElseThrow().audio(), "AAC goes to WebRTC as Opus");
    assertNull(stream.transcoding(), "offering it costs nothing");
    stream.close();
  }

  @Test
  void transcodingRunsOnlyWhileAViewerReceivesAudio() throws Exception {
    int openBefore = AacToOpus.open();
    RtcStream stream = new RtcStream(new StreamKey("cam", "main"));
    feed(stream, 0, 10);
    assertNull(stream.transcoding(), "no viewer: no transcoding");

    RtcViewer videoOnly = viewer(stream, false);
    assertTrue(stream.join(videoOnly));
    feed(stream, 10, 20);
    assertNull(stream.transcoding(), "a viewer without audio does not start it");

    RtcViewer first = viewer(stream, true);
    RtcViewer second = viewer(stream, true);
    assertTrue(stream.join(first));
    assertTrue(stream.join(second));
    feed(stream, 20, 40);
    OpusTranscoding running = awaitPackets(stream);
    assertTrue(stream.transcodingAudio());
    assertEquals(openBefore + 1, AacToOpus.open(), "one transcoder for both viewers");

    stream.leave(first);
    assertTrue(stream.transcoding() == running, "still needed by the second viewer");
    stream.leave(second);
    assertNull(stream.transcoding(), "the last audio viewer left");
    assertTrue(running.awaitStopped(5_000), "its thread ends");
    assertEquals(openBefore, AacToOpus.open(), "native transcoder freed");
    feed(stream, 40, 50);
    assertNull(stream.transcoding(), "the video-only viewer still watches, without transcoding");

    RtcViewer again = viewer(stream, true);
    assertTrue(stream.join(again));
    feed(stream, 50, 60);
    OpusTranscoding restarted = awaitPackets(stream);
    stream.close();
    assertTrue(restarted.awaitStopped(5_000), "closing the stream stops it");
    assertEquals(openBefore, AacToOpus.open(), "native transcoder freed");
    assertTrue(!stream.transcodingAudio());
  }
}
