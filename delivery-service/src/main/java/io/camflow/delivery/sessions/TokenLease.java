package io.camflow.delivery.sessions;

import io.camflow.delivery.auth.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The access token a long-lived session (MSE, WebRTC) runs on: checked once when it started, it
 * carries the session until its {@code exp} plus a grace period. A fresh token of the same user
 * that still allows the stream (checked by the protocol's door) moves the deadline on; a token of
 * another user does not. Thread-safe.
 */
public final class TokenLease {

  private final Duration grace;
  private Caller caller;

  public TokenLease(Caller caller, Duration grace) {
    this.caller = Objects.requireNonNull(caller, "caller");
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /** Who the session runs as: the latest accepted token's caller. */
  public synchronized Caller caller() {
    return caller;
  }

  /** When the session ends unless a fresh token comes: {@code exp} plus the grace. */
  public synchronized Instant deadline() {
    Instant exp = caller.expiresAt();
    return exp.isAfter(Instant.MAX.minus(grace)) ? Instant.MAX : exp.plus(grace);
  }

  /** Whether the deadline has passed at {@code now}. */
  public boolean expired(Instant now) {
    return !now.isBefore(deadline());
  }

  /**
   * Takes a fresh, verified token's caller that may watch the stream: true if it is the same user
   * (the session now runs on it, with its roles and its {@code exp} if later), false if it is
   * another user's (nothing changes; the session must end).
   */
  public synchronized boolean renew(Caller fresh) {
    if (!sameUser(caller, fresh)) {
      return false;
    }
    if (!fresh.expiresAt().isBefore(caller.expiresAt())) {
      caller = fresh;
    }
    return true;
  }

  /**
   * The same user: the same {@code sub}, or, where a token has none, the same non-empty user name.
   */
  static boolean sameUser(Caller a, Caller b) {
    if (!a.subject().isEmpty() || !b.subject().isEmpty()) {
      return a.subject().equals(b.subject());
    }
    return !a.username().isEmpty() && a.username().equals(b.username());
  }
}
