package io.camflow.delivery.webrtc.ice;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/**
 * What one session learned from its valid checks: the address to send media to, the peer's
 * addresses the server routes to the session, and when consent was last given (RFC 7675). The
 * latest nominated address wins (USE-CANDIDATE); before any nomination the latest address with a
 * valid check is used, so a DTLS ClientHello that races the nominating check still gets an answer.
 *
 * <p>At most {@code maxAddresses} addresses are kept: a check from one more place forgets the one
 * checked longest ago (never the media address), so a viewer that moves — or forges checks from
 * many places — holds a bounded share of the server's routing table.
 *
 * <p>Thread-safe: checks arrive on the reader thread, the media path and the consent sweep read
 * from others, and the session's end reads {@link #addresses()} on whichever thread ends it.
 */
public final class IcePath {

  private final int maxAddresses;
  /** Least recently checked first. Guarded by this. */
  private final SequencedSet<InetSocketAddress> addresses = new LinkedHashSet<>();
  private volatile InetSocketAddress nominated;
  private volatile InetSocketAddress lastChecked;
  private volatile long lastConsentNanos;

  /**
   * @param nowNanos {@link System#nanoTime()} at session start: consent is counted from there
   * @param maxAddresses how many peer addresses are kept at most (at least 1)
   */
  public IcePath(long nowNanos, int maxAddresses) {
    if (maxAddresses < 1) {
      throw new IllegalArgumentException("maxAddresses must be at least 1");
    }
    this.lastConsentNanos = nowNanos;
    this.maxAddresses = maxAddresses;
  }

  /**
   * A valid check arrived from {@code from}; it refreshes consent and may nominate the address.
   *
   * @return the address forgotten to make room for {@code from}, or null
   */
  public synchronized InetSocketAddress validCheck(InetSocketAddress from, boolean useCandidate, long nowNanos) {
    lastChecked = from;
    if (useCandidate) {
      nominated = from;
    }
    lastConsentNanos = nowNanos;
    addresses.remove(from);
    addresses.addLast(from);
    if (addresses.size() <= maxAddresses) {
      return null;
    }
    InetSocketAddress media = target();
    for (Iterator<InetSocketAddress> it = addresses.iterator(); it.hasNext(); ) {
      InetSocketAddress oldest = it.next();
      if (!oldest.equals(media) && !oldest.equals(from)) {
        it.remove();
        return oldest;
      }
    }
    return null;
  }

  /** The peer addresses kept now, least recently checked first. */
  public synchronized List<InetSocketAddress> addresses() {
    return List.copyOf(addresses);
  }

  /** Where media goes: the latest nominated address, else the latest checked one, else null. */
  public InetSocketAddress target() {
    InetSocketAddress n = nominated;
    return n != null ? n : lastChecked;
  }

  public boolean nominated() {
    return nominated != null;
  }

  /** Whether no valid check came for longer than {@code timeout} (and the session must close). */
  public boolean consentExpired(long nowNanos, Duration timeout) {
    return nowNanos - lastConsentNanos > timeout.toNanos();
  }
}
