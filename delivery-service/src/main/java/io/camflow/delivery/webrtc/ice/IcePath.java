package io.camflow.delivery.webrtc.ice;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What one session learned from its valid checks: the address to send media to and when consent
 * was last given (RFC 7675). The latest nominated address wins (USE-CANDIDATE); before any
 * nomination the latest address with a valid check is used, so a DTLS ClientHello that races the
 * nominating check still gets an answer. Thread-safe: checks arrive on the reader thread, the
 * media path and the consent sweep read from others.
 */
public final class IcePath {

  private volatile InetSocketAddress nominated;
  private volatile InetSocketAddress lastChecked;
  private volatile long lastConsentNanos;

  /** @param nowNanos {@link System#nanoTime()} at session start: consent is counted from there */
  public IcePath(long nowNanos) {
    this.lastConsentNanos = nowNanos;
  }

  /** A valid check arrived from {@code from}; it refreshes consent and may nominate the address. */
  public void validCheck(InetSocketAddress from, boolean useCandidate, long nowNanos) {
    lastChecked = from;
    if (useCandidate) {
      nominated = from;
    }
    lastConsentNanos = nowNanos;
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
