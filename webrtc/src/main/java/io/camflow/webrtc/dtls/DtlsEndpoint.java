package io.camflow.webrtc.dtls;

import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One session's DTLS association, server side. The UDP reader {@link #offer offers} datagrams;
 * {@link #handshake()} runs on a worker thread and blocks until the keys are agreed; afterwards
 * {@link #drain()} (also on a worker) feeds late records to BouncyCastle — retransmitted final
 * flights, close_notify. camflow sends no DTLS application data (no data channels).
 */
public final class DtlsEndpoint {

  private final QueuedDatagramTransport transport;
  private final DtlsSrtpServer server;
  private final byte[] scratch = new byte[QueuedDatagramTransport.RECEIVE_LIMIT];
  private volatile DTLSTransport dtls;

  public DtlsEndpoint(
      BcTlsCrypto crypto,
      DtlsIdentity identity,
      CertificateFingerprint expectedClient,
      Duration handshakeTimeout,
      DatagramSink sink) {
    this.transport = new QueuedDatagramTransport(sink);
    this.server = new DtlsSrtpServer(crypto, identity, expectedClient, handshakeTimeout);
  }

  /** Queues a DTLS datagram from the peer; false when it had to be dropped. */
  public boolean offer(byte[] datagram) {
    return transport.offer(datagram);
  }

  /**
   * Runs the handshake (blocking; call on a worker thread). No HelloVerifyRequest round: it would
   * cost every viewer a round trip, and each handshake belongs to a session an authenticated offer
   * made, one per session, its flights going only to where the ClientHello came from.
   */
  public SrtpKeyMaterial handshake() throws DtlsHandshakeException {
    DTLSServerProtocol protocol = new DTLSServerProtocol();
    protocol.setVerifyRequests(false);
    try {
      dtls = protocol.accept(server, transport);
      SrtpKeyMaterial keys = server.keys();
      if (keys == null) {
        throw new DtlsHandshakeException("DTLS handshake ended without SRTP keys", null);
      }
      return keys;
    } catch (IOException | RuntimeException e) {
      throw new DtlsHandshakeException(reason(e), e);
    }
  }

  /**
   * Hands queued records to BouncyCastle after the handshake. Returns false when the peer closed
   * the association (close_notify or a fatal alert) and the session should end.
   */
  public synchronized boolean drain() {
    DTLSTransport t = dtls;
    if (t == null) {
      return true;
    }
    try {
      while (transport.hasPending() && !server.closedByPeer()) {
        t.receive(scratch, 0, scratch.length, 1); // application data (none expected) is discarded
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return !server.closedByPeer();
  }

  /** Sends close_notify when connected and stops the transport. Idempotent. */
  public void close() {
    DTLSTransport t = dtls;
    dtls = null;
    if (t != null) {
      try {
        t.close();
      } catch (IOException | RuntimeException e) {
        // the peer may be gone already; nothing to tell anyone
      }
    }
    transport.close();
  }

  private String reason(Exception e) {
    if (server.failure() != null) {
      return server.failure();
    }
    if (e instanceof TlsTimeoutException || e instanceof InterruptedIOException) {
      return "DTLS handshake timed out";
    }
    if (e instanceof TlsFatalAlertReceived r) {
      return "the DTLS client aborted the handshake: "
          + AlertDescription.getText(r.getAlertDescription());
    }
    if (e instanceof TlsFatalAlert a) {
      return "DTLS handshake failed: " + AlertDescription.getText(a.getAlertDescription());
    }
    return "DTLS handshake failed: " + e.getClass().getSimpleName();
  }
}
