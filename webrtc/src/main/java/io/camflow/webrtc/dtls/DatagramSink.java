package io.camflow.webrtc.dtls;

import java.io.IOException;

/** Where a DTLS endpoint's outgoing records go: the shared UDP socket, to the session's peer. */
@FunctionalInterface
public interface DatagramSink {
  void send(byte[] buf, int off, int len) throws IOException;
}
