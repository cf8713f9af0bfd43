package io.camflow.delivery.auth;

import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each client address's budget of refused requests: a bucket that holds {@code limit} failures and
 * drains at {@code limit} per window. A failure that does not fit is answered 429 with Retry-After,
 * and an address over its budget may no longer make delivery fetch the realm's keys. The budget is
 * about requests without a valid token only: {@link Access} never asks it about a valid one, so a
 * bad client cannot lock out the other users behind its address (a NAT, a proxy).
 *
 * <p>Bounded: at most {@code maxClients} addresses are tracked, and when a new one comes, the one
 * that failed least recently is forgotten — one, never all at once, so a flood of new addresses
 * does not reset the ones failing now. IPv6 addresses count per /64, what one host or household
 * gets. Thread-safe.
 */
public final class FailureLimiter {

  /** Addresses tracked at most (about 100 bytes each). */
  static final int MAX_CLIENTS = 100_000;

  private final int limit;
  private final double drainPerNano;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets;

  /** Failures held (drained to now at {@code at}). */
  private static final class Bucket {
    double level;
    long at;
  }

  /**
   * @param limit failures an address may have per window; 0 for no limit
   */
  public FailureLimiter(int limit, Duration window, LongSupplier nanoTime) {
    this(limit, window, nanoTime, MAX_CLIENTS);
  }

  FailureLimiter(int limit, Duration window, LongSupplier nanoTime, int maxClients) {
    this.limit = limit;
    this.drainPerNano = (double) limit / window.toNanos();
    this.nanoTime = nanoTime;
    this.buckets =
        new LinkedHashMap<>(1024, 0.75f, true) { // access order: the eldest failed least recently
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxClients;
          }
        };
  }

  /**
   * Counts one refused request of {@code client}.
   *
   * @return true when it did not fit the budget: answer 429
   */
  public synchronized boolean failed(String client) {
    if (limit == 0) {
      return false;
    }
    Bucket b = buckets.computeIfAbsent(key(client), k -> new Bucket());
    long now = nanoTime.getAsLong();
    // a client that keeps failing stays over, but never owes more than one more window
    b.level = Math.min(drained(b, now) + 1, 2.0 * limit);
    b.at = now;
    return b.level > limit;
  }

  /** Whether the next failure of {@code client} would not fit its budget (no change). */
  public synchronized boolean overBudget(String client) {
    if (limit == 0) {
      return false;
    }
    Bucket b = buckets.get(key(client));
    return b != null && drained(b, nanoTime.getAsLong()) + 1 > limit;
  }

  /**
   * Whole seconds until a failure of {@code client} fits its budget again (Retry-After), at least
   * 1.
   */
  public synchronized long retryAfterSeconds(String client) {
    Bucket b = limit == 0 ? null : buckets.get(key(client));
    if (b == null) {
      return 1;
    }
    double excess = drained(b, nanoTime.getAsLong()) + 1 - limit;
    return Math.max(1, (long) Math.ceil(excess / drainPerNano / 1e9));
  }

  /** Addresses tracked now. */
  synchronized int tracked() {
    return buckets.size();
  }

  private double drained(Bucket b, long now) {
    return Math.max(0, b.level - (now - b.at) * drainPerNano);
  }

  /** The address itself; for IPv6 its /64. */
  static String key(String client) {
    if (client.indexOf(':') < 0) {
      return client;
    }
    byte[] a = NetUtil.createByteArrayFromIpAddressString(client);
    if (a == null || a.length != 16) {
      return client;
    }
    StringBuilder prefix = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      prefix.append(Integer.toHexString((a[i] & 0xff) << 8 | a[i + 1] & 0xff)).append(':');
    }
    return prefix.append(":/64").toString();
  }
}
