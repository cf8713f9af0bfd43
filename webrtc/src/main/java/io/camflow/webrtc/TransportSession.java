package io.camflow.webrtc;

import io.camflow.webrtc.dtls.CertificateFingerprint;
import io.camflow.webrtc.dtls.DatagramSink;
import io.camflow.webrtc.dtls.DtlsEndpoint;
import io.camflow.webrtc.dtls.DtlsHandshakeException;
import io.camflow.webrtc.ice.BindingResponder;
import io.camflow.webrtc.ice.IceCandidate;
import io.camflow.webrtc.ice.IceCredentials;
import io.camflow.webrtc.ice.IcePath;
import io.camflow.webrtc.ice.TriggeredCheck;
import io.camflow.webrtc.srtp.PacketBuffer;
import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import io.camflow.webrtc.srtp.SrtpProfile;
import io.camflow.webrtc.srtp.SrtpProtection;
import io.camflow.webrtc.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer's WebRTC transport on the shared port: ICE-lite checks, the DTLS-SRTP handshake and
 * SRTP in both directions. Made by {@link WebRtcTransportServer#newSession}; put {@link
 * #localCredentials()}, {@link #localFingerprint()} and {@link #candidates()} into the SDP answer,
 * then wait for {@link #onConnected}.
 *
 * <p>Life: {@code NEW} (waiting for checks and the ClientHello) → {@code HANDSHAKING} → {@code
 * CONNECTED} (media flows) → {@code CLOSED} (for good, with a reason). Closing happens on {@link
 * #close(String)}, a failed handshake, the peer's close_notify, or lost consent.
 *
 * <p>Threads: {@link #sendRtp}/{@link #sendRtcp} may be called from any thread and cost one SRTP
 * transform and one datagram send (the packet is copied into a per-thread buffer and transformed
 * there, the caller's array is never changed); keep one SSRC's packets on one thread so their order
 * is the sequence order. {@code onConnected} runs on a DTLS worker, {@code onRtcp} on the UDP
 * reader thread (return quickly), {@code onClosed} on whichever thread closed the session.
 */
public final class TransportSession implements BindingResponder.Session {

  /** Where a session is in its life. */
  public enum State {
    NEW,
    HANDSHAKING,
    CONNECTED,
    CLOSED
  }

  private static final Logger LOG = LoggerFactory.getLogger(TransportSession.class);

  /**
   * Peer addresses a session is reachable by at most; more valid checks from new places replace the
   * oldest.
   */
  static final int MAX_ADDRESSES = 8;

  private static final ThreadLocal<PacketBuffer> SEND_BUFFER =
      ThreadLocal.withInitial(() -> new PacketBuffer(1500));

  private final SessionHost host;
  private final IceCredentials local;
  private final String remoteUfrag;

  /** The offer's ice-pwd: keys the server's own checks to the peer. A secret: never logged. */
  private final String remotePwd;

  private final long tieBreaker = ThreadLocalRandom.current().nextLong();
  private final CertificateFingerprint localFingerprint;
  private final List<IceCandidate> candidates;
  private final IcePath path;
  private final DtlsEndpoint dtls;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile SrtpProtection srtp;
  private volatile String closeReason;

  private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<byte[]>> rtcpListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> closedListeners = new CopyOnWriteArrayList<>();

  private final AtomicLong rtpPackets = new AtomicLong();
  private final AtomicLong rtpBytes = new AtomicLong();
  private final AtomicLong rtcpSent = new AtomicLong();
  private final AtomicLong rtcpBytesSent = new AtomicLong();
  private final AtomicLong rtcpReceived = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  TransportSession(
      SessionHost host,
      IceCredentials local,
      String remoteUfrag,
      String remotePwd,
      CertificateFingerprint localFingerprint,
      List<IceCandidate> candidates,
      DtlsEndpointFactory dtlsFactory,
      long nowNanos) {
    this.host = host;
    this.local = local;
    this.remoteUfrag = remoteUfrag;
    this.remotePwd = remotePwd;
    this.localFingerprint = localFingerprint;
    this.candidates = candidates;
    this.path = new IcePath(nowNanos, MAX_ADDRESSES);
    this.dtls = dtlsFactory.create(this::sendDtls);
  }

  /** Makes the session's DTLS endpoint, given where its records go. */
  @FunctionalInterface
  interface DtlsEndpointFactory {
    DtlsEndpoint create(DatagramSink sink);
  }

  // ---- what the SDP answer needs

  /** Our ice-ufrag and ice-pwd for the answer. */
  @Override
  public IceCredentials localCredentials() {
    return local;
  }

  @Override
  public String remoteUfrag() {
    return remoteUfrag;
  }

  /**
   * Our certificate's fingerprint for {@code a=fingerprint} (the answer's {@code a=setup} is {@code
   * passive}).
   */
  public CertificateFingerprint localFingerprint() {
    return localFingerprint;
  }

  /**
   * Host candidates of the shared port for the answer ({@code a=candidate}), with {@code
   * a=ice-lite}.
   */
  public List<IceCandidate> candidates() {
    return candidates;
  }

  // ---- events

  /** Runs {@code listener} once DTLS-SRTP is up (at once if it already is). */
  public void onConnected(Runnable listener) {
    connectedListeners.add(listener);
    if (state.get() == State.CONNECTED && connectedListeners.remove(listener)) {
      listener.run();
    }
  }

  /** Receives every authenticated RTCP compound packet from the peer, decrypted. */
  public void onRtcp(Consumer<byte[]> listener) {
    rtcpListeners.add(listener);
  }

  /** Runs {@code listener} with the reason once the session closes (at once if it already has). */
  public void onClosed(Consumer<String> listener) {
    closedListeners.add(listener);
    String reason = closeReason;
    if (reason != null && closedListeners.remove(listener)) {
      listener.accept(reason);
    }
  }

  // ---- media

  /** Protects and sends one RTP packet; false (and nothing sent) unless connected. */
  public boolean sendRtp(byte[] packet) {
    return sendRtp(packet, 0, packet.length);
  }

  public boolean sendRtp(byte[] packet, int off, int len) {
    return send(SEND_BUFFER.get().set(packet, off, len), false);
  }

  /** The buffer's remaining bytes; its position is not moved. */
  public boolean sendRtp(ByteBuffer packet) {
    return send(SEND_BUFFER.get().set(packet), false);
  }

  /** Protects and sends one RTCP compound packet; false (and nothing sent) unless connected. */
  public boolean sendRtcp(byte[] packet) {
    return send(SEND_BUFFER.get().set(packet, 0, packet.length), true);
  }

  public boolean sendRtcp(ByteBuffer packet) {
    return send(SEND_BUFFER.get().set(packet), true);
  }

  private boolean send(PacketBuffer buffer, boolean rtcp) {
    SrtpProtection protection = srtp;
    InetSocketAddress to = path.target();
    if (protection == null || to == null || state.get() != State.CONNECTED) {
      return false;
    }
    boolean protectedOk = rtcp ? protection.protectRtcp(buffer) : protection.protectRtp(buffer);
    if (!protectedOk) {
      rejected.incrementAndGet();
      return false;
    }
    try {
      host.send(buffer.getBuffer(), buffer.getOffset(), buffer.getLength(), to);
    } catch (IOException e) {
      return false; // UDP: a failed send is a lost packet
    }
    if (rtcp) {
      rtcpSent.incrementAndGet();
      rtcpBytesSent.addAndGet(buffer.getLength());
    } else {
      rtpPackets.incrementAndGet();
      rtpBytes.addAndGet(buffer.getLength());
    }
    return true;
  }

  // ---- state

  public State state() {
    return state.get();
  }

  /** The SRTP profile DTLS agreed on, once connected. */
  public Optional<SrtpProfile> srtpProfile() {
    SrtpProtection p = srtp;
    return p == null ? Optional.empty() : Optional.of(p.profile());
  }

  /**
   * Where media goes: the peer's latest nominated address (or latest checked one before
   * nomination).
   */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(path.target());
  }

  /** Why the session closed, once it has. */
  public Optional<String> closeReason() {
    return Optional.ofNullable(closeReason);
  }

  public TransportStats stats() {
    return new TransportStats(
        rtpPackets.get(),
        rtpBytes.get(),
        rtcpSent.get(),
        rtcpBytesSent.get(),
        rtcpReceived.get(),
        rejected.get());
  }

  /**
   * Ends the session: close_notify to the peer when connected, no more media, {@code onClosed} with
   * this reason.
   */
  public void close(String reason) {
    State before = state.getAndSet(State.CLOSED);
    if (before == State.CLOSED) {
      return;
    }
    closeReason = reason;
    host.forget(this);
    dtls.close();
    SrtpProtection p = srtp;
    srtp = null;
    if (p != null) {
      p.close();
    }
    LOG.debug("WebRTC session {} closed: {}", local.ufrag(), reason);
    for (Consumer<String> l : closedListeners) {
      if (!closedListeners.remove(l)) {
        continue;
      }
      try {
        l.accept(reason);
      } catch (RuntimeException e) {
        LOG.warn("onClosed listener of WebRTC session {} failed", local.ufrag(), e);
      }
    }
  }

  // ---- from the server's reader thread

  IcePath path() {
    return path;
  }

  IcePath.Checked validCheck(InetSocketAddress from, boolean useCandidate, long nowNanos) {
    return path.validCheck(from, useCandidate, nowNanos);
  }

  /**
   * The server's own check (RFC 8445 §7.2.2) with this transaction id, keyed with the peer's
   * ice-pwd.
   */
  byte[] triggeredCheck(byte[] transactionId) {
    return TriggeredCheck.request(transactionId, local.ufrag(), remoteUfrag, remotePwd, tieBreaker);
  }

  /**
   * A Binding success response from {@code from}: true when it answers our check there (and proves
   * the address).
   */
  boolean checkAnswered(InetSocketAddress from, StunMessage response, long nowNanos) {
    byte[] pending = path.pendingCheck(from);
    if (pending == null || !TriggeredCheck.answers(response, pending, remotePwd)) {
      return false;
    }
    boolean moved = path.checkAnswered(from, nowNanos);
    LOG.debug(
        "WebRTC session {}: {} answered our check{}",
        local.ufrag(),
        from,
        moved ? "; media moves there" : "");
    return true;
  }

  void dtlsDatagram(byte[] datagram, InetSocketAddress from) {
    State s = state.get();
    if (s == State.CLOSED) {
      return;
    }
    if (s == State.NEW) {
      startHandshake(datagram, from);
      return;
    }
    if (!dtls.offer(datagram)) {
      return;
    }
    if (s == State.CONNECTED && drainScheduled.compareAndSet(false, true)) {
      host.execute(this::drainDtls);
    }
  }

  void srtcpDatagram(byte[] datagram) {
    SrtpProtection p = srtp;
    if (p == null) {
      return;
    }
    PacketBuffer packet = PacketBuffer.copyOf(datagram, 0, datagram.length);
    if (!p.unprotectRtcp(packet)) {
      rejected.incrementAndGet();
      return;
    }
    rtcpReceived.incrementAndGet();
    byte[] plain = packet.toArray();
    for (Consumer<byte[]> l : rtcpListeners) {
      try {
        l.accept(plain);
      } catch (RuntimeException e) {
        LOG.warn("onRtcp listener of WebRTC session {} failed", local.ufrag(), e);
      }
    }
  }

  /**
   * The first DTLS datagram: the handshake starts if there is a slot for it, else the datagram is
   * dropped.
   */
  private void startHandshake(byte[] datagram, InetSocketAddress from) {
    HandshakeSlots.Slot slot = host.handshakeSlot(from);
    if (slot == null) {
      return; // the peer retransmits its ClientHello; a slot may be free then
    }
    path.dtlsStarted(
        from); // the handshake proves this address: our flights go there and nowhere else
    dtls.offer(datagram);
    if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
      slot.close(); // closed meanwhile
      return;
    }
    host.execute(
        () -> {
          try (slot) {
            handshake();
          }
        });
  }

  private void handshake() {
    SrtpKeyMaterial keys;
    try {
      keys = dtls.handshake();
    } catch (DtlsHandshakeException e) {
      close(e.getMessage());
      return;
    }
    SrtpProtection protection = SrtpProtection.forServer(keys);
    srtp = protection;
    if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
      protection.close(); // closed while handshaking
      srtp = null;
      return;
    }
    LOG.debug("WebRTC session {} connected ({})", local.ufrag(), keys.profile());
    for (Runnable l : connectedListeners) {
      if (!connectedListeners.remove(l)) {
        continue; // onConnected ran it already
      }
      try {
        l.run();
      } catch (RuntimeException e) {
        LOG.warn("onConnected listener of WebRTC session {} failed", local.ufrag(), e);
      }
    }
  }

  private void drainDtls() {
    drainScheduled.set(false);
    if (!dtls.drain()) {
      close("the peer closed DTLS");
    }
  }

  private void sendDtls(byte[] buf, int off, int len) throws IOException {
    InetSocketAddress to = path.target();
    if (to == null) {
      throw new IOException("no peer address yet");
    }
    host.send(buf, off, len, to);
  }

  @Override
  public String toString() {
    return "TransportSession[" + local.ufrag() + ", " + state.get() + "]";
  }
}
