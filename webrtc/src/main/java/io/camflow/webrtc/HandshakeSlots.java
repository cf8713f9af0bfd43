package io.camflow.webrtc;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many DTLS handshakes run at once: at most {@code perClient} for one client — an IPv4 address,
 * or an IPv6 /64, which one household or host usually has whole — and at most {@code total} in all.
 * A handshake blocks its thread for round trips, and a peer that goes silent holds it until the
 * handshake timeout; with these bounds a few such peers hold a few slots, never everyone's. There
 * is no queue: a ClientHello that finds no slot is dropped, and the browser's retransmission tries
 * again — nobody waits behind a silent peer.
 */
final class HandshakeSlots {

  /** One running handshake's place; {@link #close()} gives it back (once). */
  final class Slot implements AutoCloseable {
    private final InetAddress client;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(InetAddress client) {
      this.client = client;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        running.computeIfPresent(client, (c, n) -> n > 1 ? n - 1 : null);
        total.decrementAndGet();
      }
    }
  }

  private final int perClient;
  private final int maxTotal;
  private final ConcurrentHashMap<InetAddress, Integer> running = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();

  HandshakeSlots(int perClient, int total) {
    this.perClient = perClient;
    this.maxTotal = total;
  }

  /**
   * A slot for a handshake with a peer at {@code address}, or null (counted) when its client or the
   * server is full.
   */
  Slot take(InetAddress address) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      refused.incrementAndGet();
      return null;
    }
    InetAddress client = clientOf(address);
    boolean[] taken = {false};
    running.compute(
        client,
        (c, n) -> {
          int now = n == null ? 0 : n;
          if (now >= perClient) {
            return n;
          }
          taken[0] = true;
          return now + 1;
        });
    if (!taken[0]) {
      total.decrementAndGet();
      refused.incrementAndGet();
      return null;
    }
    return new Slot(client);
  }

  /** Handshakes running now. */
  int running() {
    return total.get();
  }

  /** ClientHellos dropped for want of a slot. */
  long refused() {
    return refused.get();
  }

  /** The client an address belongs to: itself for IPv4, its /64 for IPv6. */
  static InetAddress clientOf(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(prefix);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }
}
