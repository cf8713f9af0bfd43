package io.camflow.webrtc.dtls;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's view of one session's DTLS traffic on the shared port: the UDP reader thread
 * {@link #offer offers} the session's DTLS datagrams (RFC 7983 demultiplexed), BouncyCastle
 * receives them here; what it sends goes straight to the socket. The queue is short: a peer
 * flooding DTLS loses datagrams, not memory.
 */
final class QueuedDatagramTransport implements DatagramTransport {

  /** Largest datagram passed to BouncyCastle; bigger ones are no DTLS a browser sends. */
  static final int RECEIVE_LIMIT = 1500;

  /** Keeps handshake flights inside the path MTU WebRTC assumes (1200 bytes of UDP payload). */
  static final int SEND_LIMIT = 1200;

  private static final byte[] CLOSED = new byte[0];

  private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(64);
  private final DatagramSink sink;
  private volatile boolean closed;

  QueuedDatagramTransport(DatagramSink sink) {
    this.sink = sink;
  }

  /** From the reader thread; false when full, too big or closed (the datagram is dropped). */
  boolean offer(byte[] datagram) {
    return !closed && datagram.length <= RECEIVE_LIMIT && inbound.offer(datagram);
  }

  boolean hasPending() {
    return !inbound.isEmpty();
  }

  @Override
  public int getReceiveLimit() {
    return RECEIVE_LIMIT;
  }

  @Override
  public int getSendLimit() {
    return SEND_LIMIT;
  }

  @Override
  public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
    if (closed) {
      throw new IOException("DTLS transport closed");
    }
    byte[] datagram;
    try {
      datagram = inbound.poll(Math.max(1, waitMillis), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
    if (datagram == null) {
      return -1; // timeout: BouncyCastle retransmits or gives up by its own clock
    }
    if (datagram == CLOSED) {
      throw new IOException("DTLS transport closed");
    }
    int n = Math.min(len, datagram.length);
    System.arraycopy(datagram, 0, buf, off, n);
    return n;
  }

  @Override
  public void send(byte[] buf, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("DTLS transport closed");
    }
    sink.send(buf, off, len);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      inbound.clear();
      inbound.offer(CLOSED); // wakes a receive that is waiting
    }
  }
}
