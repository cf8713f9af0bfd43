package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.gop.Unit;
import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.testsupport.EncodedStream;
import io.camflow.webrtc.DatagramKind;
import io.camflow.webrtc.TestPeer;
import io.camflow.webrtc.TransportSession;
import io.camflow.webrtc.WebRtcTransportServer;
import io.camflow.webrtc.WebRtcTransportSettings;
import io.camflow.webrtc.srtp.PacketBuffer;
import io.camflow.webrtc.srtp.SrtpProfile;
import io.camflow.webrtc.srtp.SrtpProtection;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A viewer that floods NACKs — a few RTCP bytes asking for every stored packet, over and over —
 * gets no more retransmitted bytes than its budget allows; an honest NACK for a few losses is
 * answered at once. Over real UDP, DTLS and SRTP with a real x264 GOP.
 */
class NackFloodTest {

  private static final int VIDEO_SSRC = 0x1111;
  private static final int FLOOR_BYTES_PER_SECOND = 16_000; // 128 kbit/s
  private static final int QUIET_MS = 300;

  private WebRtcTransportServer server;
  private TestPeer peer;
  private SrtpProtection srtp;

  @AfterEach
  void stop() {
    if (peer != null) {
      peer.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aNackFloodGetsNoMoreThanTheBudgetAndHonestNacksAreAnswered() throws Exception {
    server =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults().withPort(0).withLoopbackCandidates(true));
    RtcStream stream = new RtcStream(new StreamKey("cam", "nack"));
    long offset = 0;
    for (AccessUnit au :
        EncodedStream.h264(1, 25, 640, 360)) { // one GOP, kept by the stream for new viewers
      stream.unit(new Unit(au, "s1", offset++, au.pts() / 90, 0));
    }
    peer = new TestPeer(server.port());
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, peer.fingerprint());
    RtcViewer viewer =
        new RtcViewer(
            "flood",
            stream,
            session,
            new RtcViewer.Tracks(102, VIDEO_SSRC, -1, 0, "camflow-test"),
            48_000,
            0,
            bytes -> {},
            new AddedLatency(),
            new NackBudget(100, FLOOR_BYTES_PER_SECOND * 8 / 1000).start(System.nanoTime()),
            v -> {});
    CountDownLatch connected = new CountDownLatch(1);
    session.onConnected(connected::countDown);
    assertNotNull(
        peer.check(
            session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000));
    // retransmissions repeat sequence numbers: a receiver takes them (libwebrtc does), so no replay
    // check here
    srtp =
        SrtpProtection.forClientWithoutRtpReplayCheck(
            peer.handshake(session.localFingerprint(), SrtpProfile.AES128_CM_HMAC_SHA1_80));
    assertTrue(connected.await(5, TimeUnit.SECONDS));

    // the GOP burst: the packets the peer got (its socket may drop some of a burst on a busy
    // machine)
    List<Integer> sequenceNumbers = new ArrayList<>();
    // (a generous first wait: the first SRTP use in a JVM benchmarks AES implementations)
    for (byte[] rtp = nextRtp(20_000); rtp != null; rtp = nextRtp(QUIET_MS)) {
      sequenceNumbers.add(sequenceNumber(rtp));
    }
    assertTrue(sequenceNumbers.size() > 30, "a GOP of packets: " + sequenceNumbers.size());

    // an honest receiver lost three packets: all three come again at once
    List<Integer> lost =
        List.of(sequenceNumbers.get(3), sequenceNumbers.get(4), sequenceNumbers.get(10));
    sendNack(lost);
    List<Integer> again = new ArrayList<>();
    while (again.size() < lost.size()) {
      byte[] rtp = nextRtp(10_000);
      assertNotNull(rtp, "an honest NACK is answered; got again only " + again);
      if (lost.contains(
          sequenceNumber(rtp))) { // anything else is the rest of a burst that came late
        again.add(sequenceNumber(rtp));
      }
    }
    assertEquals(lost, again);
    assertEquals(0, viewer.stats().retransmissionsRefused());

    // the flood: the whole GOP asked for again, 300 times. What the viewer was sent so far, counted
    // by the server (SRTP bytes: more than the RTP bytes the budget counts), bounds the budget's
    // rate
    long firstBytes = session.stats().rtpBytes();
    long start = System.nanoTime();
    for (int i = 0; i < 300; i++) {
      sendNack(sequenceNumbers);
    }
    while (peer.receive(QUIET_MS) != null) {
      // what comes back; the viewer is done once nothing comes for a while
    }
    RtcViewer.Stats stats = viewer.stats();
    double seconds =
        (System.nanoTime() - start) / 1e9; // taken after the stats: an upper bound of their time
    // the bucket refills at 100 % of the first transmissions of the last second — at most the whole
    // burst — or the floor, and holds one second of that
    double rate = Math.max(FLOOR_BYTES_PER_SECOND, firstBytes);
    long bound = (long) (rate * (seconds + 1)) + 2 * 1500;
    long flood = 300L * firstBytes;
    assertTrue(
        stats.retransmittedBytes() <= bound,
        "retransmitted "
            + stats.retransmittedBytes()
            + " bytes in "
            + seconds
            + " s; the budget allows "
            + bound
            + " (the flood asked for "
            + flood
            + ")");
    assertTrue(stats.retransmissionsRefused() > 0, "refusals are counted: " + stats);
    assertTrue(stats.nacks() >= 300, "every NACK arrived: " + stats);
  }

  private static int sequenceNumber(byte[] rtp) {
    return ((rtp[2] & 0xFF) << 8) | (rtp[3] & 0xFF);
  }

  private byte[] nextRtp(int waitMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    while (System.nanoTime() < deadline) {
      byte[] d =
          peer.receive(
              (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (d == null) {
        return null;
      }
      if (DatagramKind.of(d[0]) == DatagramKind.RTP_OR_RTCP && !DatagramKind.isRtcp(d[1])) {
        PacketBuffer p = PacketBuffer.copyOf(d, 0, d.length);
        if (srtp.unprotectRtp(p)) {
          return p.toArray();
        }
      }
    }
    return null;
  }

  /** A generic NACK (RFC 4585 §6.2.1) for {@code lost}, protected as SRTCP. */
  private void sendNack(List<Integer> lost) throws Exception {
    ByteArrayOutputStream fci = new ByteArrayOutputStream();
    List<Integer> left = new ArrayList<>(lost);
    while (!left.isEmpty()) {
      int pid = left.remove(0);
      int blp = 0;
      for (int i = 1; i <= 16; i++) {
        if (left.remove(Integer.valueOf((pid + i) & 0xFFFF))) {
          blp |= 1 << (i - 1);
        }
      }
      fci.write(new byte[] {(byte) (pid >> 8), (byte) pid, (byte) (blp >> 8), (byte) blp});
    }
    byte[] entries = fci.toByteArray();
    byte[] nack = new byte[12 + entries.length];
    int words = nack.length / 4 - 1;
    nack[0] = (byte) 0x81; // V=2, FMT=1
    nack[1] = (byte) 205;
    nack[2] = (byte) (words >> 8);
    nack[3] = (byte) words;
    nack[7] = 0x42; // sender SSRC
    nack[8] = (byte) (VIDEO_SSRC >> 24);
    nack[9] = (byte) (VIDEO_SSRC >> 16);
    nack[10] = (byte) (VIDEO_SSRC >> 8);
    nack[11] = (byte) VIDEO_SSRC;
    System.arraycopy(entries, 0, nack, 12, entries.length);
    PacketBuffer p = PacketBuffer.copyOf(nack, 0, nack.length);
    assertTrue(srtp.protectRtcp(p));
    peer.send(p.toArray());
  }
}
