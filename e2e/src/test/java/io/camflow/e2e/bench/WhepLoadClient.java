package io.camflow.e2e.bench;

import io.camflow.media.rtcp.ReportBlock;
import io.camflow.media.rtcp.RtcpFormatException;
import io.camflow.media.rtcp.RtcpPacket;
import io.camflow.media.rtcp.RtcpReader;
import io.camflow.media.rtcp.SenderReports;
import io.camflow.webrtc.DatagramKind;
import io.camflow.webrtc.dtls.DtlsIdentity;
import io.camflow.webrtc.dtls.DtlsSrtpClient;
import io.camflow.webrtc.srtp.PacketBuffer;
import io.camflow.webrtc.srtp.SrtpProfile;
import io.camflow.webrtc.srtp.SrtpProtection;
import io.camflow.webrtc.stun.StunAttribute;
import io.camflow.webrtc.stun.StunDecoder;
import io.camflow.webrtc.stun.StunEncoder;
import io.camflow.webrtc.stun.StunIntegrity;
import io.camflow.webrtc.stun.StunMessage;
import io.camflow.webrtc.stun.StunParseException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A WebRTC viewer without a browser, for load and scale tests: on the wire it does what Chromium's
 * receive-only WHEP player does. It POSTs a browser-shaped offer ({@link WhepOffer}) with a bearer
 * token, checks the answer's candidate with STUN (USE-CANDIDATE, PRIORITY, ICE-CONTROLLING,
 * MESSAGE-INTEGRITY, FINGERPRINT) and keeps consent every {@value #CONSENT_SECONDS} s, runs the
 * DTLS 1.2 client ({@link DtlsSrtpClient}, use_srtp, the server's certificate checked against the
 * answer's fingerprint), decrypts SRTP with the exported keys (jitsi-srtp), counts what arrives
 * ({@link RtpReception}), NACKs every gap once, sends a PLI when a packet is given up, a receiver
 * report every second, and DELETEs its session on {@link #close()}.
 *
 * <p>One UDP socket and one virtual thread per viewer; timers of all viewers share one thread. With
 * {@code decrypt=false} SRTP packets are counted from their plain headers without authentication or
 * decryption (keyframes then read 0): that separates the client's crypto cost from the server's in
 * a benchmark.
 */
public final class WhepLoadClient implements AutoCloseable {

  static final int CONSENT_SECONDS = 2;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
  private static final int EARLY_KEPT = 4096;
  private static final long PLI_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ScheduledExecutorService TIMERS =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "whep-load-timers");
            t.setDaemon(true);
            return t;
          });

  /**
   * What the viewer received so far.
   *
   * @param lost packets missing (given up, or not yet recovered)
   * @param nacked sequence numbers asked for again
   * @param recovered missing packets that came later (retransmissions)
   * @param rejected SRTP/SRTCP that failed authentication or was a replay
   * @param keyframeRequests PLIs sent
   * @param consentAnswers STUN answers to our consent checks
   */
  public record Counts(
      long packets,
      long bytes,
      long lost,
      long nacked,
      long recovered,
      long frames,
      long keyframes,
      long rejected,
      long keyframeRequests,
      long consentAnswers) {}

  private final HttpClient http;
  private final URI session;
  private final String token;
  private final WhepAnswer answer;
  private final WhepOffer offer;
  private final DatagramSocket socket;
  private final boolean decrypt;
  private final int ssrc = RANDOM.nextInt();
  private final RtpReception reception;
  private final List<byte[]> early = new ArrayList<>();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong keyframeRequests = new AtomicLong();
  private final AtomicLong consentAnswers = new AtomicLong();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private SrtpProtection srtp;
  private DTLSTransport dtls;
  private volatile long lastSr;
  private volatile long lastSrNanos;
  private long lastPliNanos;
  private volatile boolean closed;

  private WhepLoadClient(
      HttpClient http,
      URI session,
      String token,
      WhepOffer offer,
      WhepAnswer answer,
      DatagramSocket socket,
      boolean decrypt) {
    this.http = http;
    this.session = session;
    this.token = token;
    this.offer = offer;
    this.answer = answer;
    this.socket = socket;
    this.decrypt = decrypt;
    this.reception = new RtpReception(answer.videoPayloadType());
  }

  /**
   * Opens a viewer of {@code endpoint} ({@code …/live/<camera>/<stream>/whep}); returns once media
   * may flow.
   *
   * @param token a bearer token, or null when the server runs without auth
   * @throws IOException when the server refuses the offer (status and reason in the message), ICE
   *     or DTLS fail
   */
  public static WhepLoadClient open(HttpClient http, URI endpoint, String token, boolean decrypt)
      throws IOException, InterruptedException {
    DtlsIdentity identity = DtlsIdentity.generate("whep-load-client");
    WhepOffer offer = WhepOffer.fresh(identity.fingerprint());
    HttpRequest.Builder post =
        HttpRequest.newBuilder(endpoint)
            .timeout(CONNECT_TIMEOUT)
            .header("Content-Type", "application/sdp")
            .POST(HttpRequest.BodyPublishers.ofString(offer.sdp()));
    if (token != null) {
      post.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      String body = r.body() == null ? "" : r.body().strip();
      throw new IOException(
          "WHEP offer answered "
              + r.statusCode()
              + ": "
              + body.substring(0, Math.min(200, body.length())));
    }
    URI session =
        endpoint.resolve(
            r.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IOException("WHEP answer without Location")));
    WhepAnswer answer;
    try {
      answer = WhepAnswer.parse(r.body());
    } catch (IllegalArgumentException e) {
      throw new IOException("WHEP answer not usable: " + e.getMessage(), e);
    }
    InetSocketAddress candidate = answer.preferredCandidate();
    DatagramSocket socket =
        new DatagramSocket(
            new InetSocketAddress(
                candidate.getAddress().isLoopbackAddress()
                    ? InetAddress.getLoopbackAddress()
                    : null,
                0));
    WhepLoadClient c = new WhepLoadClient(http, session, token, offer, answer, socket, decrypt);
    try {
      socket.setReceiveBufferSize(2 << 20); // the GOP burst at the start arrives at once
      socket.connect(candidate);
      c.checkConnectivity();
      c.handshake(identity);
      c.start();
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** What arrived so far. */
  public Counts counts() {
    RtpReception.Counts r = reception.counts();
    return new Counts(
        r.packets(),
        r.bytes(),
        r.lost(),
        r.nacked(),
        r.recovered(),
        r.frames(),
        r.keyframes(),
        rejected.get(),
        keyframeRequests.get(),
        consentAnswers.get());
  }

  /** Whether the first frame that arrived was a keyframe (decrypting clients only). */
  public boolean startedAtKeyframe() {
    return reception.startedAtKeyframe();
  }

  /** Waits until a keyframe has arrived (the start of the picture); false after {@code timeout}. */
  public boolean awaitKeyframe(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reception.counts().keyframes() == 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Connectivity check with nomination until the server answers it (ICE-lite: only we check). */
  private void checkConnectivity() throws IOException {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    byte[] key = StunIntegrity.shortTermKey(answer.pwd());
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    while (System.nanoTime() < deadline) {
      byte[] txid = new byte[12];
      RANDOM.nextBytes(txid);
      byte[] check = bindingRequest(txid, true);
      socket.send(new DatagramPacket(check, check.length));
      long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
      while (System.nanoTime() < waitUntil) {
        socket.setSoTimeout((int) Math.max(1, (waitUntil - System.nanoTime()) / 1_000_000));
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        } catch (PortUnreachableException e) {
          continue; // an ICMP error for an earlier datagram (see receive()); the checks go on as a
          // browser's would
        }
        if (DatagramKind.of(buf[0]) != DatagramKind.STUN) {
          continue;
        }
        try {
          StunMessage m = StunDecoder.decode(buf, 0, p.getLength());
          if (m.type() == StunMessage.BINDING_SUCCESS
              && Arrays.equals(m.transactionId(), txid)
              && StunIntegrity.hasValidIntegrity(m, key)) {
            return;
          }
        } catch (StunParseException e) {
          // not an answer
        }
      }
    }
    throw new IOException(
        "no STUN answer from "
            + answer.preferredCandidate()
            + " within "
            + CONNECT_TIMEOUT.toSeconds()
            + " s");
  }

  private byte[] bindingRequest(byte[] txid, boolean nominate) {
    // host candidate priority as RFC 8445 5.1.2.1 gives it for type preference 110 (peer-reflexive:
    // what we are to the server)
    long priority = (110L << 24) | (65535L << 8) | 255;
    byte[] prio = {
      (byte) (priority >>> 24), (byte) (priority >>> 16), (byte) (priority >>> 8), (byte) priority
    };
    byte[] tieBreaker = new byte[8];
    RANDOM.nextBytes(tieBreaker);
    StunEncoder e =
        new StunEncoder(StunMessage.BINDING_REQUEST, txid)
            .add(StunAttribute.USERNAME, answer.ufrag() + ":" + offer.ufrag())
            .add(StunAttribute.PRIORITY, prio)
            .add(StunAttribute.ICE_CONTROLLING, tieBreaker);
    if (nominate) {
      e.add(StunAttribute.USE_CANDIDATE, new byte[0]);
    }
    return e.addIntegrity(StunIntegrity.shortTermKey(answer.pwd())).addFingerprint().toBytes();
  }

  private void handshake(DtlsIdentity identity) throws IOException {
    DtlsSrtpClient client =
        new DtlsSrtpClient(
            new BcTlsCrypto(RANDOM),
            identity,
            answer.fingerprint(),
            SrtpProfile.AEAD_AES_128_GCM,
            SrtpProfile.AES128_CM_HMAC_SHA1_80);
    dtls = new DTLSClientProtocol().connect(client, new HandshakeTransport());
    srtp =
        SrtpProtection.forClientWithoutRtpReplayCheck(
            client.keys()); // RtpReception tells duplicates
  }

  private void start() throws IOException {
    socket.setSoTimeout(0);
    Thread.ofVirtual().name("whep-load-rx").start(this::receive);
    timers.add(
        TIMERS.scheduleWithFixedDelay(
            this::consent, CONSENT_SECONDS, CONSENT_SECONDS, TimeUnit.SECONDS));
    timers.add(TIMERS.scheduleWithFixedDelay(this::report, 1, 1, TimeUnit.SECONDS));
  }

  private void receive() {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    PacketBuffer packet = new PacketBuffer(buf.length);
    List<byte[]> before;
    synchronized (early) {
      before = List.copyOf(early);
      early.clear();
    }
    for (byte[] d : before) {
      handle(d, d.length, packet);
    }
    while (!closed) {
      try {
        socket.receive(p);
      } catch (PortUnreachableException e) {
        // an ICMP error the kernel queued on this connected socket; seen under load when many
        // sessions close and open on reused ports: not a reason to stop receiving
        continue;
      } catch (IOException e) {
        return; // closed
      }
      handle(buf, p.getLength(), packet);
    }
  }

  private void handle(byte[] d, int len, PacketBuffer packet) {
    if (len < 2) {
      return;
    }
    switch (DatagramKind.of(d[0])) {
      case STUN -> {
        if (len >= 2 && ((d[0] & 0xFF) << 8 | (d[1] & 0xFF)) == StunMessage.BINDING_SUCCESS) {
          consentAnswers.incrementAndGet();
        }
      }
      case RTP_OR_RTCP -> {
        if (DatagramKind.isRtcp(d[1])) {
          rtcp(packet.set(d, 0, len));
        } else if (!decrypt) {
          reception.received(d, 0, len - srtp.profile().rtpOverhead(), false);
          feedback();
        } else if (srtp.unprotectRtp(packet.set(d, 0, len))) {
          reception.received(packet.getBuffer(), packet.getOffset(), packet.getLength(), true);
          feedback();
        } else {
          rejected.incrementAndGet();
        }
      }
      default -> {} // DTLS after the handshake: a close_notify at the end
    }
  }

  private void rtcp(PacketBuffer packet) {
    if (!srtp.unprotectRtcp(packet)) {
      rejected.incrementAndGet();
      return;
    }
    try {
      for (RtcpPacket p :
          RtcpReader.read(packet.getBuffer(), packet.getOffset(), packet.getLength())) {
        if (p instanceof RtcpPacket.SenderReport sr) {
          lastSr = SenderReports.compact(sr.ntpTimestamp());
          lastSrNanos = System.nanoTime();
        }
      }
    } catch (RtcpFormatException e) {
      rejected.incrementAndGet();
    }
  }

  /**
   * NACKs for new gaps; a PLI when a packet is given up (at most one a second), as a browser's
   * decoder would ask.
   */
  private void feedback() {
    List<Integer> nacks = reception.drainNacks();
    int media = (int) reception.ssrc();
    if (!nacks.isEmpty()) {
      byte[] out = new byte[1200];
      sendRtcp(out, ReceiverRtcp.nack(out, ssrc, media, nacks));
    }
    if (reception.takeNewLoss()) {
      long now = System.nanoTime();
      if (now - lastPliNanos > PLI_GAP_NANOS) {
        lastPliNanos = now;
        keyframeRequests.incrementAndGet();
        byte[] out = new byte[12];
        sendRtcp(out, ReceiverRtcp.pli(out, ssrc, media));
      }
    }
  }

  private void consent() {
    byte[] txid = new byte[12];
    RANDOM.nextBytes(txid);
    byte[] check = bindingRequest(txid, false);
    try {
      socket.send(new DatagramPacket(check, check.length));
    } catch (IOException e) {
      // closed: the timer is cancelled next
    }
  }

  private void report() {
    long since = lastSrNanos == 0 ? 0 : (System.nanoTime() - lastSrNanos) * 65536 / 1_000_000_000L;
    ReportBlock block = reception.reportBlock(lastSr, lastSr == 0 ? 0 : since);
    if (block != null) {
      byte[] out = new byte[32];
      sendRtcp(out, ReceiverRtcp.receiverReport(out, ssrc, block));
    }
  }

  private void sendRtcp(byte[] rtcp, int length) {
    PacketBuffer p = PacketBuffer.copyOf(rtcp, 0, length);
    if (closed || !srtp.protectRtcp(p)) {
      return;
    }
    try {
      socket.send(new DatagramPacket(p.getBuffer(), p.getOffset(), p.getLength()));
    } catch (IOException e) {
      // closing
    }
  }

  /** Ends the session: close_notify, WHEP DELETE, socket closed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timers.forEach(t -> t.cancel(false));
    try {
      if (dtls != null) {
        dtls.close();
      }
    } catch (IOException e) {
      // the server may be gone already
    }
    try {
      HttpRequest.Builder delete =
          HttpRequest.newBuilder(session).timeout(Duration.ofSeconds(10)).DELETE();
      if (token != null) {
        delete.header("Authorization", "Bearer " + token);
      }
      http.send(delete.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // the server may be gone already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
    if (srtp != null) {
      srtp.close();
    }
  }

  /**
   * The socket as BouncyCastle's DTLS sees it during the handshake: media arriving meanwhile is
   * kept for later.
   */
  private final class HandshakeTransport implements DatagramTransport {

    @Override
    public int getReceiveLimit() {
      return 1500;
    }

    @Override
    public int getSendLimit() {
      return 1200;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      byte[] d = new byte[2048];
      DatagramPacket p = new DatagramPacket(d, d.length);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return -1;
        }
        socket.setSoTimeout((int) left);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          return -1;
        } catch (PortUnreachableException e) {
          continue; // see receive()
        }
        switch (DatagramKind.of(d[0])) {
          case DTLS -> {
            int n = Math.min(len, p.getLength());
            System.arraycopy(d, 0, buf, off, n);
            return n;
          }
          case RTP_OR_RTCP -> {
            synchronized (early) {
              if (early.size() < EARLY_KEPT) {
                early.add(Arrays.copyOf(d, p.getLength()));
              }
            }
          }
          default -> {} // answers to repeated checks
        }
      }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
      if (!socket.isClosed()) {
        socket.send(new DatagramPacket(buf, off, len));
      }
    }

    @Override
    public void close() {}
  }
}
