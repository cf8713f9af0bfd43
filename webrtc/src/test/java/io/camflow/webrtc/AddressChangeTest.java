package io.camflow.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.webrtc.srtp.PacketBuffer;
import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import io.camflow.webrtc.srtp.SrtpProfile;
import io.camflow.webrtc.srtp.SrtpProtection;
import io.camflow.webrtc.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A valid check from a new address does not move a session's media there: the viewer knows the
 * session's ICE password, so it could forge checks "from" anyone. Media moves only once the
 * server's own check to that address is answered (return routability, RFC 8445 §7.2.5.2.1 and RFC
 * 7675); a third party that never answers gets no media, and its forged checks keep nothing alive.
 */
class AddressChangeTest {

  private static final int QUIET_MS = 200;

  private WebRtcTransportServer server;
  private final List<TestPeer> peers = new ArrayList<>();
  private SrtpKeyMaterial keys;

  @AfterEach
  void stop() {
    peers.forEach(TestPeer::close);
    if (server != null) {
      server.close();
    }
  }

  private void start(Duration consent) throws IOException {
    server =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults()
                .withPort(0)
                .withLoopbackCandidates(true)
                .withConsentTimeout(consent));
  }

  private TestPeer peer() throws IOException {
    TestPeer p = new TestPeer(server.port());
    peers.add(p);
    return p;
  }

  private TransportSession connect(TestPeer peer) throws Exception {
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, peer.fingerprint());
    CountDownLatch connected = new CountDownLatch(1);
    session.onConnected(connected::countDown);
    assertNotNull(
        peer.check(
            session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000));
    keys = peer.handshake(session.localFingerprint(), SrtpProfile.AES128_CM_HMAC_SHA1_80);
    assertTrue(connected.await(5, TimeUnit.SECONDS));
    return session;
  }

  /**
   * Sends {@code n} RTP packets now; on loopback they are in the receiver's buffer when this
   * returns.
   */
  private static void media(TransportSession session, int n) {
    for (int i = 0; i < n; i++) {
      assertTrue(session.sendRtp(WebRtcTransportTest.rtp(i, 0x0BADCAFE, new byte[100])));
    }
  }

  private static void awaitMediaAddress(TransportSession session, InetSocketAddress expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!expected.equals(session.remoteAddress().orElse(null)) && System.nanoTime() < deadline) {
      Thread.sleep(
          5); // polling for the reader thread to handle the answer; the deadline is a bound, not a
      // sync
    }
    assertEquals(expected, session.remoteAddress().orElseThrow());
  }

  @Test
  void mediaMovesOnlyToAnAddressThatAnsweredTheServersCheck() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer first = peer();
    TransportSession session = connect(first);
    String ufrag = session.localCredentials().ufrag();
    String pwd = session.localCredentials().pwd();
    media(session, 3);
    assertEquals(3, first.drainMedia(QUIET_MS));

    // the same viewer from a second socket: its nominating check is answered, but media stays
    TestPeer moved = peer();
    assertNotNull(moved.check(ufrag, pwd, true, 2000), "a valid check is answered from anywhere");
    media(session, 3);
    assertEquals(
        0, moved.drainMedia(QUIET_MS), "no media to an address the server has not verified");
    assertEquals(3, first.drainMedia(QUIET_MS), "media stays where it was");
    assertEquals(first.localAddress(), session.remoteAddress().orElseThrow());

    // the server checks the new address itself; once the viewer answers from there, media follows
    StunMessage serverCheck = moved.serverCheck(ufrag, 2000);
    assertNotNull(serverCheck, "the server sends its own check to the new address");
    moved.answer(serverCheck);
    awaitMediaAddress(session, moved.localAddress());
    media(session, 3);
    assertEquals(3, moved.drainMedia(QUIET_MS), "media moved after the answer");
    assertEquals(0, first.drainMedia(QUIET_MS));
    byte[] probe = WebRtcTransportTest.rtp(7, 0x0BADCAFE, new byte[10]);
    session.sendRtp(probe);
    byte[] wire = moved.receive(2000);
    PacketBuffer got = PacketBuffer.copyOf(wire, 0, wire.length);
    assertTrue(
        SrtpProtection.forClient(keys).unprotectRtp(got),
        "the same SRTP session, only the address changed");

    // a third party the viewer forges nominating checks "from": it never answers, so it gets no
    // media
    TestPeer victim = peer();
    int forged = 5;
    for (int i = 0; i < forged; i++) {
      assertNotNull(victim.check(ufrag, pwd, true, 2000));
    }
    media(session, 3);
    assertEquals(
        0, victim.drainMedia(QUIET_MS), "nothing but small STUN messages for the third party");
    assertEquals(3, moved.drainMedia(QUIET_MS));
    assertEquals(moved.localAddress(), session.remoteAddress().orElseThrow());
    assertTrue(
        victim.serverChecksSeen() <= forged,
        "never more server checks than forged ones (no amplification): "
            + victim.serverChecksSeen());
  }

  @Test
  void checksFromAnUnverifiedAddressKeepNoConsent() throws Exception {
    Duration consent = Duration.ofSeconds(1);
    start(consent);
    TestPeer viewer = peer();
    TransportSession session = connect(viewer);
    CompletableFuture<String> closed = new CompletableFuture<>();
    session.onClosed(closed::complete);
    String ufrag = session.localCredentials().ufrag();
    String pwd = session.localCredentials().pwd();
    assertNotNull(viewer.check(ufrag, pwd, false, 2000), "consent given once more, now");

    // then the viewer goes quiet and forges checks "from" a third party instead, far more often
    // than a browser checks
    TestPeer victim = peer();
    long until = System.nanoTime() + 5 * consent.toNanos();
    int answered = 0;
    while (System.nanoTime() < until && !closed.isDone()) {
      // the last check may meet the session just as consent runs out: no answer then, the session
      // is gone
      if (victim.check(ufrag, pwd, true, 2000) != null) {
        answered++;
      } else {
        assertTrue(closed.isDone(), "a valid check went unanswered while the session was open");
      }
      Thread.sleep(50);
    }
    assertTrue(
        answered >= 3,
        "the forged checks were answered (they are valid), " + answered + " of them");
    assertTrue(closed.isDone(), "the session lost consent while the forged checks went on");
    assertTrue(closed.get().startsWith("ICE consent expired"), closed.get());
    assertEquals(0, victim.drainMedia(QUIET_MS));
  }

  @Test
  void aCheckCannotTakeAnotherSessionsMediaAddress() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer a = peer();
    TransportSession first = connect(a);
    SrtpProtection aKeys = SrtpProtection.forClient(keys);
    TestPeer b = peer();
    TransportSession second = server.newSession(TestPeer.UFRAG, TestPeer.PWD, b.fingerprint());

    // the second session's viewer forges a check from the first viewer's address
    assertNull(
        a.check(second.localCredentials().ufrag(), second.localCredentials().pwd(), true, QUIET_MS),
        "a check from another session's media address is not answered");
    assertTrue(second.remoteAddress().isEmpty());

    CompletableFuture<byte[]> rtcp = new CompletableFuture<>();
    first.onRtcp(rtcp::complete);
    byte[] rr = WebRtcTransportTest.receiverReport(0x12345678, 0x0BADCAFE);
    PacketBuffer srtcp = PacketBuffer.copyOf(rr, 0, rr.length);
    assertTrue(aKeys.protectRtcp(srtcp));
    a.send(srtcp.toArray());
    assertEquals(
        rr.length,
        rtcp.get(5, TimeUnit.SECONDS).length,
        "the first viewer's RTCP still reaches its session");
  }
}
