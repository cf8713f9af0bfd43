package io.camflow.delivery.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realm's signing keys (its JWKS), fetched when a token needs them and kept. Fetching is the
 * one expensive step of checking a token, and a forged token picks its {@code kid} freely, so a
 * fetch for an unknown {@code kid} happens only when the caller may cause one ({@link #find}'s
 * {@code mayFetch}: not for an address over its failure budget), and any fetch at most once per
 * {@code minInterval} for the whole process, one at a time. A {@code kid} not among the kept keys
 * is how a rotated realm key shows up: the next allowed fetch brings it, without a restart. Keys
 * older than {@link #MAX_AGE} are fetched again the next time that is allowed, so a key the realm
 * removed stops working; until a fetch succeeds the kept keys stay in use (an unreachable Keycloak
 * does not stop tokens of known keys). Thread-safe.
 */
final class SigningKeys implements JWKSource<SecurityContext> {

  /** How long fetched keys are used before they are fetched again. */
  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

  /** Fetches the key set (blocking I/O). */
  @FunctionalInterface
  interface Fetch {
    JWKSet fetch() throws IOException, ParseException;
  }

  /** Whether a {@code kid} is among the keys, after whatever fetch was allowed. */
  enum Lookup {
    /** kept: the signature can be checked */
    KNOWN,
    /** not among keys fetched now, or the caller may not cause a fetch */
    UNKNOWN,
    /** not among the kept keys, and they were fetched less than the least interval ago */
    NOT_YET,
    /** not among the kept keys (if any), and the realm could not be reached to fetch them */
    UNREACHABLE
  }

  private final Fetch source;
  private final long minIntervalNanos;
  private final LongSupplier nanoTime;
  private volatile JWKSet keys; // null until the first fetch succeeds
  private volatile long fetchedAt;
  private long lastAttempt;
  private boolean attempted;
  private volatile long fetches;

  SigningKeys(Fetch source, Duration minInterval, LongSupplier nanoTime) {
    this.source = source;
    this.minIntervalNanos = minInterval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The keys of the realm's JWKS URI: 2 s to connect, 2 s to read, at most 512 KiB. */
  static SigningKeys of(URI jwksUri, Duration minInterval) {
    java.net.URL url;
    try {
      url = jwksUri.toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException("the JWKS URI is not a URL: " + jwksUri);
    }
    DefaultResourceRetriever retriever = new DefaultResourceRetriever(2_000, 2_000, 512 * 1024);
    return new SigningKeys(
        () -> JWKSet.parse(retriever.retrieveResource(url).getContent()),
        minInterval,
        System::nanoTime);
  }

  /**
   * Makes sure the key {@code kid} (null: any key) is kept, fetching the keys when the least
   * interval allows and there are none yet, or they are old, or they lack {@code kid} and {@code
   * mayFetch}.
   */
  Lookup find(String kid, boolean mayFetch) {
    JWKSet kept = keys;
    boolean has = has(kept, kid);
    if (has && !old()) {
      return Lookup.KNOWN;
    }
    if (kept != null && !old() && !mayFetch) {
      return Lookup
          .UNKNOWN; // fresh keys, an unknown kid: only a caller within its budget may make us look
      // again
    }
    synchronized (this) {
      kept = keys; // another thread may have fetched meanwhile
      has = has(kept, kid);
      long now = nanoTime.getAsLong();
      boolean allowed = !attempted || now - lastAttempt >= minIntervalNanos;
      if (has && (!old() || !allowed)) {
        return Lookup.KNOWN;
      }
      if (!allowed) {
        return kept == null ? Lookup.UNREACHABLE : Lookup.NOT_YET;
      }
      attempted = true;
      lastAttempt = now;
      fetches++;
      try {
        keys = source.fetch();
        fetchedAt = now;
      } catch (IOException | ParseException | RuntimeException e) {
        // the message may name the URL, never a token; the kept keys stay in use
        LOG.warn("the realm's signing keys could not be fetched: {}", e.getClass().getSimpleName());
        return has ? Lookup.KNOWN : Lookup.UNREACHABLE;
      }
      return has(keys, kid) ? Lookup.KNOWN : Lookup.UNKNOWN;
    }
  }

  /** Whole seconds until a fetch is allowed again (Retry-After), at least 1. */
  synchronized long secondsUntilNextFetch() {
    long left = attempted ? minIntervalNanos - (nanoTime.getAsLong() - lastAttempt) : 0;
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /** Fetches made (or tried) since start: camflow_delivery_auth_key_fetches_total. */
  long fetches() {
    return fetches;
  }

  /** The kept keys the selector matches; never fetches (that is {@link #find}'s decision). */
  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) {
    JWKSet kept = keys;
    return kept == null ? List.of() : selector.select(kept);
  }

  private boolean old() {
    return keys != null && nanoTime.getAsLong() - fetchedAt >= MAX_AGE.toNanos();
  }

  private static boolean has(JWKSet keys, String kid) {
    return keys != null
        && (kid == null ? !keys.getKeys().isEmpty() : keys.getKeyByKeyId(kid) != null);
  }
}
