package io.camflow.webrtc;

import java.io.IOException;
import java.net.InetSocketAddress;

/** What a session needs from the server that owns the port. */
interface SessionHost {

  /** Sends one datagram from the shared port. */
  void send(byte[] buf, int off, int len, InetSocketAddress to) throws IOException;

  /** Runs DTLS work (handshakes, late records) off the reader thread. */
  void execute(Runnable task);

  /**
   * A place for a DTLS handshake with a peer at {@code peer}, or null when its address, or the
   * server, has as many running as allowed (the datagram is then dropped; the peer retransmits).
   */
  HandshakeSlots.Slot handshakeSlot(InetSocketAddress peer);

  /** The session closed: forget its ufrag and addresses. */
  void forget(TransportSession session);
}
