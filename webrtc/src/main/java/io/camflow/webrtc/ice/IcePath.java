package io.camflow.webrtc.ice;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one session learned about the peer's addresses: where media goes, which addresses are proven
 * to be the peer's, the addresses the server routes to the session, and when consent was last given
 * (RFC 7675).
 *
 * <p>A valid check proves only that its sender knows the session's ICE password — which the viewer
 * itself does, so it could forge checks "from" anyone. An address is therefore <em>proven</em> by
 * return routability: the first one by the DTLS handshake that runs on it ({@link #dtlsStarted}:
 * our flights go there, and the handshake cannot finish unless someone there read them; no media
 * flows before it finishes), every later one by an answer to the server's own {@link
 * TriggeredCheck}. Before DTLS the address follows the checks as the browser's nomination goes (the
 * latest nominated one, else the latest checked one, so a ClientHello racing the nominating check
 * is answered). After that, media moves only to a proven address that nominated (USE-CANDIDATE)
 * later than the current one, and only valid checks from proven addresses — or answers to our
 * checks — renew consent.
 *
 * <p>At most {@code maxAddresses} addresses are kept: a check from one more place forgets the one
 * checked longest ago (never the media address), so a viewer that moves — or forges checks from
 * many places — holds a bounded share of the server's routing table.
 *
 * <p>Thread-safe: checks and answers arrive on the reader thread, the media path and the consent
 * sweep read from others, and the session's end reads {@link #addresses()} on whichever thread ends
 * it.
 */
public final class IcePath {

  /**
   * The peer's checks pace ours; this keeps a fast or forged check stream from pacing us faster.
   */
  static final long CHECK_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * What a valid check asks of the server.
   *
   * @param forgotten an address the session no longer keeps (take its route out), or null
   * @param verify send a {@link TriggeredCheck} with this transaction id to the check's sender, or
   *     null
   */
  public record Checked(InetSocketAddress forgotten, byte[] verify) {}

  /** One peer address. Guarded by the path. */
  private static final class Remote {
    boolean proven;

    /** Nominated since the media address was chosen: media moves here once proven. */
    boolean nominating;

    /** Of our check to it, until it answers. */
    byte[] transactionId;

    long lastCheckSentNanos;
  }

  private final int maxAddresses;

  /** Least recently checked first. Guarded by this. */
  private final Map<InetSocketAddress, Remote> remotes = new LinkedHashMap<>();

  private volatile InetSocketAddress media;
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

  /** A valid check arrived from {@code from}, nominating it or not. */
  public synchronized Checked validCheck(
      InetSocketAddress from, boolean useCandidate, long nowNanos) {
    Remote r = remotes.remove(from);
    remotes.put(from, r = r == null ? new Remote() : r);
    if (media == null) { // before DTLS: the handshake proves the address it runs on
      lastChecked = from;
      if (useCandidate) {
        nominated = from;
      }
      lastConsentNanos = nowNanos;
      return new Checked(makeRoom(from), null);
    }
    InetSocketAddress forgotten = makeRoom(from);
    if (r.proven) {
      lastConsentNanos = nowNanos;
      if (useCandidate) {
        moveMedia(from);
      }
      return new Checked(forgotten, null);
    }
    if (useCandidate) {
      r.nominating = true;
    }
    if (r.transactionId == null) {
      r.transactionId = TriggeredCheck.newTransactionId();
    } else if (nowNanos - r.lastCheckSentNanos < CHECK_GAP_NANOS) {
      return new Checked(forgotten, null);
    }
    r.lastCheckSentNanos = nowNanos;
    return new Checked(forgotten, r.transactionId);
  }

  /** The transaction id of our unanswered check to {@code from}, or null. */
  public synchronized byte[] pendingCheck(InetSocketAddress from) {
    Remote r = remotes.get(from);
    return r == null ? null : r.transactionId;
  }

  /**
   * Our check to {@code from} was answered (the caller verified the answer): the address is proven
   * and consent renewed; media moves there if the peer nominated it.
   *
   * @return whether media moved
   */
  public synchronized boolean checkAnswered(InetSocketAddress from, long nowNanos) {
    Remote r = remotes.get(from);
    if (r == null || r.transactionId == null) {
      return false;
    }
    r.proven = true;
    r.transactionId = null;
    lastConsentNanos = nowNanos;
    if (r.nominating) {
      moveMedia(from);
      return true;
    }
    return false;
  }

  /**
   * The DTLS handshake starts on {@code from} (where the ClientHello came from): from now on media
   * goes there, and a new address needs proof. Later calls change nothing.
   */
  public synchronized void dtlsStarted(InetSocketAddress from) {
    if (media != null) {
      return;
    }
    Remote r = remotes.computeIfAbsent(from, a -> new Remote());
    r.proven = true; // by the handshake: it cannot finish unless our flights reach this address
    r.transactionId = null;
    moveMedia(from);
  }

  private void moveMedia(InetSocketAddress to) {
    media = to;
    for (Remote r : remotes.values()) {
      r.nominating = false; // older nominations than this one
    }
  }

  /**
   * Forgets the least recently checked address that is neither where media goes nor {@code keep}.
   */
  private InetSocketAddress makeRoom(InetSocketAddress keep) {
    if (remotes.size() <= maxAddresses) {
      return null;
    }
    InetSocketAddress target = target();
    for (Iterator<InetSocketAddress> it = remotes.keySet().iterator(); it.hasNext(); ) {
      InetSocketAddress oldest = it.next();
      if (!oldest.equals(target) && !oldest.equals(keep)) {
        it.remove();
        return oldest;
      }
    }
    return null;
  }

  /** The peer addresses kept now, least recently checked first. */
  public synchronized List<InetSocketAddress> addresses() {
    return List.copyOf(remotes.keySet());
  }

  /** Whether media goes (or DTLS runs) to {@code address}: no other session may take it. */
  public boolean isMediaAddress(InetSocketAddress address) {
    return address.equals(media);
  }

  /**
   * Where media and DTLS go: once DTLS started the proven media address; before, the latest
   * nominated address, else the latest checked one, else null.
   */
  public InetSocketAddress target() {
    InetSocketAddress m = media;
    if (m != null) {
      return m;
    }
    InetSocketAddress n = nominated;
    return n != null ? n : lastChecked;
  }

  /** Whether no consent came for longer than {@code timeout} (and the session must close). */
  public boolean consentExpired(long nowNanos, Duration timeout) {
    return nowNanos - lastConsentNanos > timeout.toNanos();
  }
}
