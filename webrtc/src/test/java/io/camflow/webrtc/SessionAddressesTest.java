package io.camflow.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.webrtc.stun.StunMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server routes DTLS and SRTCP by the peer's address; those address entries belong to their
 * session and go with it: none are left once sessions end — also when a check is in flight the
 * moment a session closes — and a live session keeps only a few, however many addresses check it.
 */
class SessionAddressesTest {

  private WebRtcTransportServer server;
  private final List<TestPeer> peers = new ArrayList<>();

  @AfterEach
  void stop() {
    peers.forEach(TestPeer::close);
    if (server != null) {
      server.close();
    }
  }

  private TestPeer peer() throws IOException {
    TestPeer p = new TestPeer(server.port());
    peers.add(p);
    return p;
  }

  @Test
  void endedSessionsLeaveNoAddressBehind() throws Exception {
    server =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults()
                .withPort(0)
                .withLoopbackCandidates(true)
                .withConsentTimeout(Duration.ofMinutes(5)));
    for (int i = 0; i < 40; i++) {
      TestPeer peer = peer();
      TestPeer second = peer(); // the same viewer's other socket
      TransportSession session =
          server.newSession(TestPeer.UFRAG, TestPeer.PWD, peer.fingerprint());
      String ufrag = session.localCredentials().ufrag();
      String pwd = session.localCredentials().pwd();
      assertNotNull(
          peer.check(ufrag, pwd, true, 5000), "checks are answered while the session lives");
      // a burst of checks from the other socket, and the session ends while the reader handles them
      for (int n = 0; n < 300; n++) {
        second.send(TestPeer.bindingRequest(TestPeer.txid(), ufrag, pwd, false));
      }
      session.close("ended by the test");
    }
    // every datagram sent so far is read before the answer to this check
    TestPeer last = peer();
    TransportSession marker = server.newSession(TestPeer.UFRAG, TestPeer.PWD, last.fingerprint());
    assertNotNull(
        last.check(
            marker.localCredentials().ufrag(), marker.localCredentials().pwd(), true, 10_000));
    assertEquals(
        1, server.stats().addresses(), "the live session's address only: " + server.stats());
    marker.close("done");
    assertEquals(
        0,
        server.stats().addresses(),
        () -> "no address of an ended session is left: " + server.stats());
    assertEquals(0, server.stats().sessions());
  }

  @Test
  void aLiveSessionKeepsAFewAddressesOnly() throws Exception {
    server =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults().withPort(0).withLoopbackCandidates(true));
    TestPeer first = peer();
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, first.fingerprint());
    String ufrag = session.localCredentials().ufrag();
    String pwd = session.localCredentials().pwd();
    assertNotNull(first.check(ufrag, pwd, true, 2000));
    for (int i = 0;
        i < 30;
        i++) { // a viewer that moves a lot (or one forging checks from many places)
      StunMessage answer = peer().check(ufrag, pwd, false, 2000);
      assertNotNull(answer, "valid checks are answered from anywhere");
    }
    int kept = server.stats().addresses();
    assertTrue(
        kept <= TransportSession.MAX_ADDRESSES,
        "at most " + TransportSession.MAX_ADDRESSES + " kept, was " + kept);
    assertEquals(
        first.localAddress(),
        session.remoteAddress().orElseThrow(),
        "the nominated address is one of them");
    assertNotNull(first.check(ufrag, pwd, false, 2000), "and still answered");
    session.close("done");
    assertEquals(0, server.stats().addresses(), () -> "none after the end: " + server.stats());
  }
}
