package io.camflow.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DTLS handshakes block for round trips, so a peer that starts one and goes silent holds it until
 * the handshake timeout. Such peers must not delay anyone else's handshake: handshakes are bounded
 * per client address and in all, and one beyond the bounds is dropped (the browser retransmits its
 * ClientHello) instead of queueing behind the silent ones. Silent peers' slots come back at the
 * timeout. All of 127.0.0.0/8 is loopback on Linux: 127.0.0.2 and up are other client addresses
 * here.
 */
class HandshakeLimitsTest {

  private WebRtcTransportServer server;
  private final List<TestPeer> peers = new ArrayList<>();
  private final Random random = new Random(8189);

  @AfterEach
  void stop() {
    peers.forEach(TestPeer::close);
    if (server != null) {
      server.close();
    }
  }

  private void start(Duration handshakeTimeout, int perAddress, int total) throws IOException {
    server =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults()
                .withPort(0)
                .withLoopbackCandidates(true)
                .withHandshakeTimeout(handshakeTimeout)
                .withHandshakeLimits(perAddress, total));
  }

  private TestPeer peer(String address) throws IOException {
    TestPeer p = new TestPeer(server.port(), InetAddress.getByName(address));
    peers.add(p);
    return p;
  }

  /** A peer that passes ICE, sends one DTLS handshake record and then nothing. */
  private TransportSession silent(String address) throws Exception {
    TestPeer p = peer(address);
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, p.fingerprint());
    assertNotNull(
        p.check(session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000));
    byte[] record = new byte[13 + 100];
    random.nextBytes(record);
    record[0] = 22; // handshake
    record[1] = (byte) 0xFE;
    record[2] = (byte) 0xFD;
    p.send(record);
    return session;
  }

  /** Connects a good peer; returns how long its handshake took, in milliseconds. */
  private long connectMillis(TestPeer good) throws Exception {
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, good.fingerprint());
    CountDownLatch connected = new CountDownLatch(1);
    session.onConnected(connected::countDown);
    assertNotNull(
        good.check(
            session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000));
    long start = System.nanoTime();
    try {
      good.handshake(session.localFingerprint(), SrtpProfile.AES128_CM_HMAC_SHA1_80);
    } catch (IOException e) {
      throw new AssertionError(
          "the good peer's handshake failed after "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
              + " ms: "
              + e,
          e);
    }
    assertTrue(connected.await(5, TimeUnit.SECONDS));
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private void awaitHandshakes(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.stats().handshakes() != expected && System.nanoTime() < deadline) {
      Thread.sleep(5); // the reader thread starts them; the deadline is a bound, not a sync
    }
    assertEquals(
        expected, server.stats().handshakes(), () -> "handshakes running: " + server.stats());
  }

  @Test
  void silentPeersDoNotDelayAGoodPeersHandshake() throws Exception {
    Duration timeout = Duration.ofSeconds(20); // silent peers would hold a worker this long
    start(timeout, 2, 64);
    for (int i = 0;
        i < 8;
        i++) { // more than there used to be handshake threads, all from one address
      silent("127.0.0.2");
    }
    long millis = connectMillis(peer("127.0.0.1"));
    // a handshake takes 40–170 ms on the 2-core test machine; the bound leaves a wide margin yet
    // stays far below the 20 s a silent peer holds its slot
    assertTrue(millis < 5000, "the good peer's handshake took " + millis + " ms");
    assertTrue(
        server.stats().handshakesRefused() >= 6,
        () -> "8 silent peers of one address, 2 handshakes allowed per address: " + server.stats());
    awaitHandshakes(
        2); // the silent ones, at most 2; the good one's slot comes back just after it connected
  }

  @Test
  void handshakesAreBoundedInAllAndSilentOnesGiveTheirSlotBackAtTheTimeout() throws Exception {
    Duration timeout = Duration.ofSeconds(2);
    start(timeout, 1, 3);
    List<CompletableFuture<String>> closed = new ArrayList<>();
    for (String address : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
      CompletableFuture<String> c = new CompletableFuture<>();
      silent(address).onClosed(c::complete);
      closed.add(c);
    }
    silent("127.0.0.2"); // one more from an address that has its handshake running: dropped
    awaitHandshakes(3);
    // its ClientHello may still be on its way through the reader thread
    long refusedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.stats().handshakesRefused() < 1 && System.nanoTime() < refusedBy) {
      Thread.sleep(5);
    }
    assertTrue(server.stats().handshakesRefused() >= 1, () -> server.stats().toString());

    // all slots are taken: the good peer's ClientHellos are dropped until the silent handshakes
    // time
    // out, then one of its retransmissions (BouncyCastle's client: after 1, 3, 7 s) gets in
    long millis = connectMillis(peer("127.0.0.1"));
    for (CompletableFuture<String> c : closed) {
      assertEquals("DTLS handshake timed out", c.get(10, TimeUnit.SECONDS));
    }
    assertTrue(
        server.stats().handshakesRefused() >= 2,
        () -> "the good peer waited outside: " + server.stats());
    assertTrue(millis < 10_000, "connected after " + millis + " ms");
    awaitHandshakes(0);
  }
}
