package io.camflow.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.webrtc.dtls.DtlsIdentity;
import io.camflow.webrtc.srtp.PacketBuffer;
import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import io.camflow.webrtc.srtp.SrtpProfile;
import io.camflow.webrtc.srtp.SrtpProtection;
import io.camflow.webrtc.stun.StunAttribute;
import io.camflow.webrtc.stun.StunIntegrity;
import io.camflow.webrtc.stun.StunMessage;
import io.camflow.webrtc.stun.XorMappedAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport over real UDP sockets on localhost: a {@link TestPeer} does what a browser does —
 * ICE checks, a DTLS client handshake with use_srtp and its own certificate, SRTP and SRTCP.
 */
class WebRtcTransportTest {

  private WebRtcTransportServer server;
  private final List<TestPeer> peers = new java.util.ArrayList<>();

  @AfterEach
  void stop() {
    peers.forEach(TestPeer::close);
    if (server != null) {
      server.close();
    }
  }

  private WebRtcTransportServer start(Duration consent) throws IOException {
    server =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults()
                .withPort(0)
                .withLoopbackCandidates(true)
                .withConsentTimeout(consent));
    return server;
  }

  private TestPeer peer() throws IOException {
    TestPeer p = new TestPeer(server.port());
    peers.add(p);
    return p;
  }

  @Test
  void checkHandshakeAndSrtpBothWays() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer peer = peer();
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, peer.fingerprint());
    assertTrue(
        session.candidates().stream()
            .anyMatch(c -> c.address().isLoopbackAddress() && c.port() == server.port()));
    assertTrue(
        session
            .candidates()
            .get(0)
            .toSdp()
            .matches("candidate:1 1 udp \\d+ \\S+ " + server.port() + " typ host"));
    CountDownLatch connected = new CountDownLatch(1);
    session.onConnected(connected::countDown);

    StunMessage answer =
        peer.check(
            session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000);
    assertNotNull(answer, "a valid check is answered");
    assertEquals(StunMessage.BINDING_SUCCESS, answer.type());
    assertTrue(
        StunIntegrity.hasValidIntegrity(
            answer, StunIntegrity.shortTermKey(session.localCredentials().pwd())));
    assertTrue(StunIntegrity.hasValidFingerprint(answer));
    assertEquals(
        peer.localAddress(),
        XorMappedAddress.decode(
            answer.attribute(StunAttribute.XOR_MAPPED_ADDRESS).orElseThrow().value(),
            answer.transactionId()));
    assertEquals(peer.localAddress(), session.remoteAddress().orElseThrow());

    SrtpKeyMaterial keys =
        peer.handshake(session.localFingerprint(), SrtpProfile.AES128_CM_HMAC_SHA1_80);
    assertTrue(connected.await(5, TimeUnit.SECONDS), "onConnected ran");
    assertEquals(SrtpProfile.AES128_CM_HMAC_SHA1_80, session.srtpProfile().orElseThrow());
    assertEquals(TransportSession.State.CONNECTED, session.state());

    SrtpProtection client = SrtpProtection.forClient(keys);
    for (int seq = 1; seq <= 5; seq++) {
      byte[] plain = rtp(seq, 0x0BADCAFE, ("access unit " + seq).getBytes());
      assertTrue(session.sendRtp(plain));
      byte[] wire = nextMedia(peer);
      PacketBuffer got = PacketBuffer.copyOf(wire, 0, wire.length);
      assertTrue(client.unprotectRtp(got), "server SRTP decrypts with the client's keys");
      assertArrayEquals(plain, got.toArray());
    }

    CompletableFuture<byte[]> rtcp = new CompletableFuture<>();
    session.onRtcp(rtcp::complete);
    byte[] receiverReport = receiverReport(0x12345678, 0x0BADCAFE);
    PacketBuffer srtcp = PacketBuffer.copyOf(receiverReport, 0, receiverReport.length);
    assertTrue(client.protectRtcp(srtcp));
    peer.send(srtcp.toArray());
    assertArrayEquals(
        receiverReport, rtcp.get(5, TimeUnit.SECONDS), "client SRTCP arrives decrypted");

    TransportStats stats = session.stats();
    assertEquals(5, stats.rtpPackets());
    assertTrue(stats.rtpBytes() > 5 * 22);
    assertEquals(1, stats.rtcpPacketsReceived());
  }

  @Test
  void gcmIsChosenWhenOffered() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer peer = peer();
    TransportSession session =
        connect(peer, SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    assertEquals(SrtpProfile.AEAD_AES_128_GCM, session.srtpProfile().orElseThrow());
    byte[] plain = rtp(100, 42, new byte[900]);
    assertTrue(session.sendRtp(java.nio.ByteBuffer.wrap(plain)));
    byte[] wire = nextMedia(peer);
    PacketBuffer got = PacketBuffer.copyOf(wire, 0, wire.length);
    assertEquals(plain.length + 16, got.getLength());
    assertTrue(SrtpProtection.forClient(lastKeys).unprotectRtp(got));
    assertArrayEquals(plain, got.toArray());
  }

  @Test
  void wrongFingerprintClosesTheSessionWithAReason() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer peer = peer();
    DtlsIdentity someoneElse = DtlsIdentity.generate("someone-else");
    TransportSession session =
        server.newSession(TestPeer.UFRAG, TestPeer.PWD, someoneElse.fingerprint());
    CompletableFuture<String> closed = new CompletableFuture<>();
    session.onClosed(closed::complete);
    assertNotNull(
        peer.check(
            session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000));
    assertThrows(
        IOException.class,
        () -> peer.handshake(session.localFingerprint(), SrtpProfile.AES128_CM_HMAC_SHA1_80));
    String reason = closed.get(5, TimeUnit.SECONDS);
    assertTrue(reason.contains("does not match the offer's a=fingerprint"), reason);
    assertEquals(TransportSession.State.CLOSED, session.state());
    assertEquals(0, server.stats().sessions());
    assertNull(
        peer.check(session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 300),
        "a closed session's ufrag is unknown");
    assertTrue(!session.sendRtp(rtp(1, 1, new byte[10])));
  }

  @Test
  void badIntegrityGetsNoAnswerAndLeavesTheSessionAlone() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer peer = peer();
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, peer.fingerprint());
    String ufrag = session.localCredentials().ufrag();
    assertNull(
        peer.check(ufrag, "wrongPasswordWrongPassword", true, 400), "bad integrity: silence");
    assertNull(
        peer.check("unknownUfrag", session.localCredentials().pwd(), true, 200),
        "unknown ufrag: silence");
    byte[] noIntegrity =
        new io.camflow.webrtc.stun.StunEncoder(StunMessage.BINDING_REQUEST, TestPeer.txid())
            .add(StunAttribute.USERNAME, ufrag + ":" + TestPeer.UFRAG)
            .addFingerprint()
            .toBytes();
    peer.send(noIntegrity);
    assertNull(peer.receive(200), "no MESSAGE-INTEGRITY: silence");
    assertEquals(3, server.stats().stunRejected());
    assertEquals(TransportSession.State.NEW, session.state());
    assertTrue(session.remoteAddress().isEmpty(), "rejected checks teach no address");

    assertNotNull(peer.check(ufrag, session.localCredentials().pwd(), true, 2000));
    CountDownLatch connected = new CountDownLatch(1);
    session.onConnected(connected::countDown);
    peer.handshake(session.localFingerprint(), SrtpProfile.AES128_CM_HMAC_SHA1_80);
    assertTrue(connected.await(5, TimeUnit.SECONDS));
  }

  @Test
  void dtlsGarbageBeforeTheClientHelloDoesNotSpoilTheHandshake() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer peer = peer();
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, peer.fingerprint());
    assertNotNull(
        peer.check(
            session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000));
    Random random = new Random(20);
    for (int i = 0; i < 40; i++) {
      peer.send(
          junk(
              random,
              3,
              session.localCredentials().ufrag())); // DTLS-looking records from the checked address
    }
    CountDownLatch connected = new CountDownLatch(1);
    session.onConnected(connected::countDown);
    peer.handshake(session.localFingerprint(), SrtpProfile.AES128_CM_HMAC_SHA1_80);
    assertTrue(
        connected.await(5, TimeUnit.SECONDS), () -> "closed: " + session.closeReason().orElse(""));
  }

  @Test
  void tenThousandJunkDatagramsLeaveAGoodSessionAlone() throws Exception {
    AtomicReference<Throwable> leaked = new AtomicReference<>();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> leaked.compareAndSet(null, e));
    try {
      junkRun();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    if (leaked.get() != null) {
      throw new AssertionError("an exception escaped a transport thread", leaked.get());
    }
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("camflow-webrtc-udp") && t.isAlive()));
  }

  private void junkRun() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer peer = peer();
    TransportSession session = connect(peer, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    SrtpProtection client = SrtpProtection.forClient(lastKeys);
    AtomicInteger rtcpSeen = new AtomicInteger();
    session.onRtcp(r -> rtcpSeen.incrementAndGet());

    // the good session: the server streams RTP, the peer decrypts it and sends receiver reports
    AtomicInteger decrypted = new AtomicInteger();
    AtomicInteger undecryptable = new AtomicInteger();
    AtomicReference<Throwable> peerError = new AtomicReference<>();
    Thread sender =
        new Thread(
            () -> {
              for (int seq = 0; seq < 3000 && !Thread.currentThread().isInterrupted(); seq++) {
                session.sendRtp(rtp(seq, 0x0BADCAFE, new byte[200]));
                sleep(1);
              }
            });
    Thread receiver =
        new Thread(
            () -> { // reads until the sender is done, so no backlog is left for the check below
              try {
                long until = System.currentTimeMillis() + 20_000;
                while (System.currentTimeMillis() < until) {
                  byte[] d = peer.receive(300);
                  if (d == null && !sender.isAlive()) {
                    break; // everything sent has been read
                  }
                  if (d == null || DatagramKind.of(d[0]) != DatagramKind.RTP_OR_RTCP) {
                    continue;
                  }
                  PacketBuffer p = PacketBuffer.copyOf(d, 0, d.length);
                  if (client.unprotectRtp(p)) {
                    if (decrypted.incrementAndGet() % 100 == 0) {
                      byte[] rr = receiverReport(0x12345678, 0x0BADCAFE);
                      PacketBuffer s = PacketBuffer.copyOf(rr, 0, rr.length);
                      client.protectRtcp(s);
                      peer.send(s.toArray());
                    }
                  } else {
                    undecryptable.incrementAndGet();
                  }
                }
              } catch (Throwable t) {
                peerError.set(t);
              }
            });
    sender.start();
    receiver.start();

    Random random = new Random(8189);
    String ufrag = session.localCredentials().ufrag();
    try (DatagramSocket junk =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      InetSocketAddress target =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
      for (int i = 0; i < 10_000; i++) {
        byte[] d = junk(random, i, ufrag);
        // a tenth of it from the good peer's own address: DTLS and SRTCP garbage on a validated
        // path
        DatagramSocket from = i % 10 == 0 ? peer.socket : junk;
        if (from == peer.socket) {
          peer.send(d);
        } else {
          junk.send(new DatagramPacket(d, d.length, target));
        }
        if (i % 50 == 0) {
          Thread.sleep(
              1); // about the rate a flood reaches a real port; keeps the 2-core test machine fair
        }
      }
    }
    sender.join(30_000);
    receiver.join(30_000);
    if (peerError.get() != null) {
      throw new AssertionError("peer failed", peerError.get());
    }

    assertEquals(
        TransportSession.State.CONNECTED,
        session.state(),
        () -> "closed: " + session.closeReason().orElse(""));
    assertTrue(
        decrypted.get() >= 2500,
        "the good session kept receiving: " + decrypted.get() + " decrypted");
    assertEquals(0, undecryptable.get(), "every SRTP packet the peer got was good");
    assertTrue(rtcpSeen.get() >= 20, "receiver reports kept arriving: " + rtcpSeen.get());
    assertTrue(server.stats().datagramsDropped() >= 5000, "junk was dropped: " + server.stats());
    assertNotNull(
        peer.check(ufrag, session.localCredentials().pwd(), true, 2000),
        () -> "the server still answers checks " + server.stats());
    TestPeer late = peer();
    assertEquals(
        TransportSession.State.CONNECTED,
        connect(late, SrtpProfile.AES128_CM_HMAC_SHA1_80).state(),
        "and still connects new sessions");
  }

  @Test
  void consentTimeoutClosesASilentSessionOnly() throws Exception {
    start(Duration.ofMillis(600));
    TestPeer silent = peer();
    TransportSession quiet = connect(silent, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    CompletableFuture<String> closed = new CompletableFuture<>();
    quiet.onClosed(closed::complete);

    TestPeer chatty = peer();
    TransportSession alive = server.newSession(TestPeer.UFRAG, TestPeer.PWD, chatty.fingerprint());
    long until = System.currentTimeMillis() + 1800;
    while (System.currentTimeMillis() < until) {
      assertNotNull(
          chatty.check(
              alive.localCredentials().ufrag(), alive.localCredentials().pwd(), false, 1000));
      Thread.sleep(150);
    }
    String reason = closed.get(3, TimeUnit.SECONDS);
    assertTrue(reason.startsWith("ICE consent expired"), reason);
    assertEquals(TransportSession.State.CLOSED, quiet.state());
    assertEquals(TransportSession.State.NEW, alive.state(), "checks every 150 ms keep consent");
    assertTrue(!quiet.sendRtp(rtp(1, 1, new byte[10])), "no media after consent is gone");
  }

  @Test
  void peerCloseNotifyAndServerCloseEndSessions() throws Exception {
    start(Duration.ofSeconds(30));
    TestPeer a = peer();
    TransportSession first = connect(a, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    CompletableFuture<String> firstClosed = new CompletableFuture<>();
    first.onClosed(firstClosed::complete);
    a.closeDtls();
    assertEquals("the peer closed DTLS", firstClosed.get(5, TimeUnit.SECONDS));

    TestPeer b = peer();
    TransportSession second = connect(b, SrtpProfile.AES128_CM_HMAC_SHA1_80);
    server.close();
    assertEquals("server shutting down", second.closeReason().orElseThrow());
    CompletableFuture<String> late = new CompletableFuture<>();
    second.onClosed(late::complete);
    assertEquals("server shutting down", late.getNow(null), "onClosed after the fact runs at once");
  }

  // ---- helpers

  private SrtpKeyMaterial lastKeys;

  private TransportSession connect(TestPeer peer, SrtpProfile... offered) throws Exception {
    TransportSession session = server.newSession(TestPeer.UFRAG, TestPeer.PWD, peer.fingerprint());
    CountDownLatch connected = new CountDownLatch(1);
    session.onConnected(connected::countDown);
    assertNotNull(
        peer.check(
            session.localCredentials().ufrag(), session.localCredentials().pwd(), true, 2000));
    lastKeys = peer.handshake(session.localFingerprint(), offered);
    assertTrue(connected.await(5, TimeUnit.SECONDS));
    return session;
  }

  /** The next RTP/RTCP datagram at the peer (DTLS retransmissions and STUN skipped). */
  private byte[] nextMedia(TestPeer peer) throws IOException {
    long until = System.currentTimeMillis() + 5000;
    while (System.currentTimeMillis() < until) {
      byte[] d = peer.receive(1000);
      if (d != null && DatagramKind.of(d[0]) == DatagramKind.RTP_OR_RTCP) {
        return d;
      }
    }
    throw new AssertionError("no media arrived");
  }

  private static byte[] junk(Random random, int i, String ufrag) {
    switch (i % 6) {
      case 0 -> { // random bytes of any length
        byte[] d = new byte[1 + random.nextInt(1400)];
        random.nextBytes(d);
        return d;
      }
      case 1 -> { // a real check cut short
        byte[] check = TestPeer.bindingRequest(TestPeer.txid(), ufrag, "x".repeat(24), true);
        return Arrays.copyOf(check, 1 + random.nextInt(check.length - 1));
      }
      case 2 -> { // a well-formed check for the good session with a wrong password
        return TestPeer.bindingRequest(TestPeer.txid(), ufrag, "wrongPasswordWrongPassword", true);
      }
      case 3 -> { // DTLS garbage: handshake or application records with random bodies
        byte[] d = new byte[13 + random.nextInt(300)];
        random.nextBytes(d);
        d[0] = (byte) (random.nextBoolean() ? 22 : 23);
        d[1] = (byte) 0xFE;
        d[2] = (byte) 0xFD;
        return d;
      }
      case 4 -> { // SRTCP-looking garbage (RTCP packet types 200/201)
        byte[] d = new byte[8 + random.nextInt(200)];
        random.nextBytes(d);
        d[0] = (byte) 0x81;
        d[1] = (byte) (200 + random.nextInt(2));
        return d;
      }
      default -> { // STUN header with random attributes
        byte[] d = new byte[20 + 4 * random.nextInt(40)];
        random.nextBytes(d);
        d[0] = 0;
        d[1] = 1;
        d[2] = (byte) ((d.length - 20) >> 8);
        d[3] = (byte) (d.length - 20);
        d[4] = 0x21;
        d[5] = 0x12;
        d[6] = (byte) 0xA4;
        d[7] = 0x42;
        return d;
      }
    }
  }

  static byte[] rtp(int seq, int ssrc, byte[] payload) {
    byte[] p = new byte[12 + payload.length];
    p[0] = (byte) 0x80;
    p[1] = 96;
    p[2] = (byte) (seq >> 8);
    p[3] = (byte) seq;
    p[8] = (byte) (ssrc >> 24);
    p[9] = (byte) (ssrc >> 16);
    p[10] = (byte) (ssrc >> 8);
    p[11] = (byte) ssrc;
    System.arraycopy(payload, 0, p, 12, payload.length);
    return p;
  }

  /** An RTCP receiver report with one report block. */
  static byte[] receiverReport(int senderSsrc, int mediaSsrc) {
    byte[] rr = new byte[32];
    rr[0] = (byte) 0x81;
    rr[1] = (byte) 201;
    rr[3] = 7;
    rr[4] = (byte) (senderSsrc >> 24);
    rr[5] = (byte) (senderSsrc >> 16);
    rr[6] = (byte) (senderSsrc >> 8);
    rr[7] = (byte) senderSsrc;
    rr[8] = (byte) (mediaSsrc >> 24);
    rr[9] = (byte) (mediaSsrc >> 16);
    rr[10] = (byte) (mediaSsrc >> 8);
    rr[11] = (byte) mediaSsrc;
    return rr;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
