package io.camflow.webrtc;

import io.camflow.webrtc.dtls.CertificateFingerprint;
import io.camflow.webrtc.dtls.DtlsEndpoint;
import io.camflow.webrtc.dtls.DtlsIdentity;
import io.camflow.webrtc.ice.BindingResponder;
import io.camflow.webrtc.ice.HostCandidates;
import io.camflow.webrtc.ice.IceCandidate;
import io.camflow.webrtc.ice.IceCredentials;
import io.camflow.webrtc.ice.IcePath;
import io.camflow.webrtc.stun.StunDecoder;
import io.camflow.webrtc.stun.StunMessage;
import io.camflow.webrtc.stun.StunParseException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebRTC media transport on ONE UDP port shared by all sessions: an ICE-lite STUN responder,
 * DTLS-SRTP server handshakes and SRTP, demultiplexed per RFC 7983 and routed to sessions by ufrag
 * (STUN) and by the peer address learned from valid checks (DTLS, SRTCP). The WHEP glue calls
 * {@link #newSession} per offer and writes the session's credentials, fingerprint and candidates
 * into the answer (with {@code a=ice-lite}, {@code a=setup:passive}, {@code a=rtcp-mux}).
 *
 * <p>One plain {@link DatagramChannel} with one reader thread rather than a Netty pipeline: it is a
 * single socket, the receive side is light (STUN answers, a few DTLS records, RTCP), and sending is
 * one {@code send} on the caller's thread after the SRTP transform — no hop through an event loop,
 * no buffer ownership rules. DTLS handshakes block for round trips, so they run on their own
 * threads, bounded per client address and in all ({@link HandshakeSlots}); consent is swept on a
 * timer.
 */
public final class WebRtcTransportServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransportServer.class);
  private static final int MAX_DATAGRAM = 65_535;

  private final WebRtcTransportSettings settings;
  private final DatagramChannel channel;
  private final int port;
  private final List<IceCandidate> candidates;
  private final DtlsIdentity identity;
  private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
  private final BindingResponder responder;
  private final Map<String, TransportSession> byUfrag = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, TransportSession> byAddress = new ConcurrentHashMap<>();
  private final HandshakeSlots handshakeSlots;
  private final ExecutorService dtlsWorkers;
  private final ScheduledExecutorService consentSweep;
  private final Thread reader;
  private volatile boolean closed;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong stunAnswered = new AtomicLong();
  private final AtomicLong stunRejected = new AtomicLong();
  private final AtomicLong checksSent = new AtomicLong();
  private final AtomicLong checksAnswered = new AtomicLong();

  private WebRtcTransportServer(WebRtcTransportSettings settings, DatagramChannel channel)
      throws IOException {
    this.settings = settings;
    this.channel = channel;
    this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    this.candidates =
        HostCandidates.gather(
            port,
            settings.extraHosts(),
            settings.loopbackCandidates(),
            settings.interfaceCandidates());
    this.identity = DtlsIdentity.generate("camflow");
    this.responder = new BindingResponder(byUfrag::get);
    this.handshakeSlots =
        new HandshakeSlots(settings.handshakesPerAddress(), settings.handshakes());
    AtomicInteger n = new AtomicInteger();
    // a thread per running handshake (the slots bound them) and per short drain of late records: no
    // queue, so no handshake waits behind another; platform threads, so the OS shares the CPU of a
    // burst of handshakes fairly with the viewers' senders
    this.dtlsWorkers =
        Executors.newCachedThreadPool(r -> daemon(r, "camflow-webrtc-dtls-" + n.incrementAndGet()));
    this.consentSweep =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "camflow-webrtc-consent"));
    long every = Math.max(50, Math.min(1000, settings.consentTimeout().toMillis() / 10));
    consentSweep.scheduleWithFixedDelay(this::sweepConsent, every, every, TimeUnit.MILLISECONDS);
    this.reader = daemon(this::readLoop, "camflow-webrtc-udp");
    reader.start();
  }

  /**
   * Binds the port on all interfaces and starts. Fails with a clear message when the port is taken
   * or an extra host does not resolve.
   */
  public static WebRtcTransportServer start(WebRtcTransportSettings settings) throws IOException {
    return start(settings, new InetSocketAddress(settings.port()));
  }

  /**
   * As {@link #start(WebRtcTransportSettings)}, bound to this local address only
   * (CAMFLOW_HTTP_HOST).
   */
  public static WebRtcTransportServer start(
      WebRtcTransportSettings settings, InetSocketAddress local) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      // room for bursts: a keyframe leaves as hundreds of packets at once, to every viewer
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
      channel.bind(local);
    } catch (IOException e) {
      channel.close();
      throw new IOException(
          "cannot bind the WebRTC UDP port " + settings.port() + ": " + e.getMessage(), e);
    }
    try {
      WebRtcTransportServer server = new WebRtcTransportServer(settings, channel);
      LOG.info(
          "WebRTC transport on UDP port {}, host candidates {}",
          server.port,
          server.candidates.stream().map(c -> c.address().getHostAddress()).toList());
      return server;
    } catch (RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * A new session for one offer.
   *
   * @param remoteUfrag the offer's {@code a=ice-ufrag}
   * @param remotePwd the offer's {@code a=ice-pwd}: keys the server's own checks to a new peer
   *     address before media moves there
   * @param remoteFingerprint the offer's {@code a=fingerprint}: the browser's DTLS certificate must
   *     match it
   * @throws IllegalArgumentException when ufrag or pwd are not valid ICE strings
   */
  public TransportSession newSession(
      String remoteUfrag, String remotePwd, CertificateFingerprint remoteFingerprint) {
    if (closed) {
      throw new IllegalStateException("the WebRTC transport is closed");
    }
    if (!IceCredentials.isIceString(remoteUfrag, 4)) {
      throw new IllegalArgumentException("the offer's ice-ufrag must be 4 to 256 ice-chars");
    }
    if (!IceCredentials.isIceString(remotePwd, 22)) {
      throw new IllegalArgumentException("the offer's ice-pwd must be 22 to 256 ice-chars");
    }
    Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
    while (true) {
      IceCredentials local = IceCredentials.generate();
      TransportSession session =
          new TransportSession(
              host,
              local,
              remoteUfrag,
              remotePwd,
              identity.fingerprint(),
              candidates,
              sink ->
                  new DtlsEndpoint(
                      crypto, identity, remoteFingerprint, settings.handshakeTimeout(), sink),
              System.nanoTime());
      if (byUfrag.putIfAbsent(local.ufrag(), session) == null) {
        return session;
      }
    }
  }

  /** The bound port (the configured one, or the one picked for port 0). */
  public int port() {
    return port;
  }

  /** Host candidates every session announces. */
  public List<IceCandidate> candidates() {
    return candidates;
  }

  /** This process's DTLS certificate fingerprint (the same in every answer). */
  public CertificateFingerprint localFingerprint() {
    return identity.fingerprint();
  }

  public ServerStats stats() {
    return new ServerStats(
        received.get(),
        dropped.get(),
        stunAnswered.get(),
        stunRejected.get(),
        checksSent.get(),
        checksAnswered.get(),
        handshakeSlots.running(),
        handshakeSlots.refused(),
        byUfrag.size(),
        byAddress.size());
  }

  /** Closes every session ("server shutting down") and the port. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (TransportSession s : List.copyOf(byUfrag.values())) {
      s.close("server shutting down");
    }
    consentSweep.shutdownNow();
    dtlsWorkers.shutdownNow();
    try {
      channel.close();
      reader.join(2000);
    } catch (IOException e) {
      LOG.debug("closing the WebRTC port: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- what sessions may ask of the server (not public API)

  private final SessionHost host =
      new SessionHost() {
        @Override
        public void send(byte[] buf, int off, int len, InetSocketAddress to) throws IOException {
          WebRtcTransportServer.this.send(buf, off, len, to);
        }

        @Override
        public void execute(Runnable task) {
          try {
            dtlsWorkers.execute(task);
          } catch (RejectedExecutionException e) {
            // shutting down
          }
        }

        @Override
        public HandshakeSlots.Slot handshakeSlot(InetSocketAddress peer) {
          return closed ? null : handshakeSlots.take(peer.getAddress());
        }

        @Override
        public void forget(TransportSession session) {
          byUfrag.remove(session.localCredentials().ufrag(), session);
          for (InetSocketAddress a : session.path().addresses()) {
            byAddress.remove(a, session);
          }
        }
      };

  private void send(byte[] buf, int off, int len, InetSocketAddress to) throws IOException {
    channel.send(ByteBuffer.wrap(buf, off, len), to);
  }

  // ---- the reader thread

  private void readLoop() {
    ByteBuffer rx = ByteBuffer.allocate(MAX_DATAGRAM);
    while (!closed) {
      SocketAddress from;
      try {
        rx.clear();
        from = channel.receive(rx);
      } catch (ClosedChannelException e) {
        if (!closed) { // nothing should close the channel but close(): say so loudly, WebRTC is
          // down from here
          LOG.error(
              "the WebRTC UDP port {} was closed under its reader ({}); no WebRTC session works until restart",
              port,
              e.toString());
        }
        return;
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("WebRTC port receive failed: {}", e.getMessage());
        }
        continue;
      }
      received.incrementAndGet();
      rx.flip();
      try {
        if (!dispatch(rx, (InetSocketAddress) from)) {
          dropped.incrementAndGet();
        }
      } catch (RuntimeException e) {
        // untrusted input must never stop the reader; count it and carry on
        dropped.incrementAndGet();
        LOG.debug("WebRTC datagram from {} dropped: {}", from, e.toString());
      }
    }
  }

  /** Routes one datagram; false when it was dropped. */
  private boolean dispatch(ByteBuffer rx, InetSocketAddress from) {
    int len = rx.remaining();
    if (len < 2) {
      return false;
    }
    byte[] data = new byte[len];
    rx.get(data);
    return switch (DatagramKind.of(data[0])) {
      case STUN -> stun(data, from);
      case DTLS -> {
        TransportSession s = byAddress.get(from);
        if (s == null) {
          yield false;
        }
        s.dtlsDatagram(data, from);
        yield true;
      }
      case RTP_OR_RTCP -> {
        TransportSession s = byAddress.get(from);
        if (s == null || !DatagramKind.isRtcp(data[1])) {
          yield false; // camflow only sends media; RTP from viewers is not expected
        }
        s.srtcpDatagram(data);
        yield true;
      }
      case OTHER -> false;
    };
  }

  private boolean stun(byte[] data, InetSocketAddress from) {
    if (!StunDecoder.looksLikeStun(data, 0, data.length)) {
      return false;
    }
    StunMessage message;
    try {
      message = StunDecoder.decode(data);
    } catch (StunParseException e) {
      stunRejected.incrementAndGet();
      return false;
    }
    if (message.type() == StunMessage.BINDING_SUCCESS) {
      return checkAnswered(message, from);
    }
    BindingResponder.Outcome outcome = responder.handle(message, from);
    if (outcome.check().isEmpty()) {
      stunRejected.incrementAndGet();
      return outcome.rejection()
          == BindingResponder.Rejection.NOT_A_BINDING_REQUEST; // indications are fine
    }
    BindingResponder.ValidCheck check = outcome.check().get();
    TransportSession session = (TransportSession) check.session();
    TransportSession owner = byAddress.get(from);
    if (owner != null && owner != session && owner.path().isMediaAddress(from)) {
      // another session's media goes there: a check naming this session cannot take its DTLS and
      // RTCP
      stunRejected.incrementAndGet();
      return false;
    }
    // learn the path before answering: what the peer sends after our answer must find it
    IcePath.Checked checked = session.validCheck(from, check.useCandidate(), System.nanoTime());
    if (checked.forgotten() != null) {
      byAddress.remove(checked.forgotten(), session);
    }
    byAddress.put(from, session);
    if (session.state() == TransportSession.State.CLOSED) {
      // it closed while we looked: its forget() may have run before the put, so take the entry back
      byAddress.remove(from, session);
      return true;
    }
    try {
      send(check.response(), 0, check.response().length, from);
      if (checked.verify()
          != null) { // a new address: media goes there only once it answers our own check
        byte[] request = session.triggeredCheck(checked.verify());
        send(request, 0, request.length, from);
        checksSent.incrementAndGet();
      }
    } catch (IOException e) {
      LOG.debug("STUN to {} not sent: {}", from, e.getMessage());
    }
    stunAnswered.incrementAndGet();
    return true;
  }

  /**
   * An answer to one of our checks (found by the address we sent it to); anything else is dropped.
   */
  private boolean checkAnswered(StunMessage response, InetSocketAddress from) {
    TransportSession session = byAddress.get(from);
    if (session == null || !session.checkAnswered(from, response, System.nanoTime())) {
      return false;
    }
    checksAnswered.incrementAndGet();
    return true;
  }

  private void sweepConsent() {
    long now = System.nanoTime();
    for (TransportSession s : byUfrag.values()) {
      if (s.path().consentExpired(now, settings.consentTimeout())) {
        s.close(
            "ICE consent expired: no valid STUN check for "
                + settings.consentTimeout().toMillis()
                + " ms");
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
