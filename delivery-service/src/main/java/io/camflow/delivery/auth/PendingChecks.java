package io.camflow.delivery.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * The checks of new tokens waiting for or running on the auth executor: at most {@code max} in all,
 * and at most {@code maxPerClient} of one address (IPv6: one /64), so the queue stays bounded and
 * one address sending tokens faster than they are checked cannot take the places the others need.
 * Checked tokens are remembered, so a viewer's requests after the first never come here.
 * Thread-safe.
 */
final class PendingChecks {

  /** Whether a check may be queued. */
  enum Admission {
    ADMITTED,
    /** this address has its share queued already: 429 */
    CLIENT_FULL,
    /** the queue is full: 503 */
    FULL
  }

  private final int max;
  private final int maxPerClient;
  private final Map<String, Integer> byClient = new HashMap<>();
  private int total;

  PendingChecks(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Takes a place for a check of {@code client}'s token; when ADMITTED, {@link #leave} must follow.
   */
  synchronized Admission enter(String client) {
    client = FailureLimiter.key(client);
    if (total >= max) {
      return Admission.FULL;
    }
    int mine = byClient.getOrDefault(client, 0);
    if (mine >= maxPerClient) {
      return Admission.CLIENT_FULL;
    }
    byClient.put(client, mine + 1);
    total++;
    return Admission.ADMITTED;
  }

  /** Gives back a place taken by {@link #enter}. */
  synchronized void leave(String client) {
    client = FailureLimiter.key(client);
    Integer mine = byClient.get(client);
    if (mine == null) {
      return;
    }
    if (mine == 1) {
      byClient.remove(client);
    } else {
      byClient.put(client, mine - 1);
    }
    total--;
  }

  /** Checks queued or running now. */
  synchronized int size() {
    return total;
  }
}
