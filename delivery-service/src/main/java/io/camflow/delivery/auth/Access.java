package io.camflow.delivery.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of every request that needs a token: finds the caller of a bearer token and decides
 * whether they may do what they ask. A token checked before answers at once on the calling thread;
 * a new one is checked on the auth executor (it may fetch the realm's keys), never on an event
 * loop, within a bounded queue ({@link PendingChecks}).
 *
 * <p>Refusals: 401 without a valid token, 403 with one that lacks the permission (asked about a
 * camera that does not exist, the answer is the same 403: nothing tells an unauthorised caller
 * which cameras exist), 503 if the realm's keys cannot be fetched. Requests without a valid token
 * count against their address's failure budget ({@link FailureLimiter}); once it is spent they get
 * 429 instead of 401 and cannot make delivery fetch the realm's keys. A valid token is never
 * refused for what other requests from its address did: it is checked and answered for itself
 * (checking a signature against the kept keys is cheap; what the budget bounds is the expensive
 * part, fetching keys for unknown {@code kid}s, and the queue of checks).
 */
public final class Access {

  /** New tokens being checked at once, in all and from one address (IPv6: one /64). */
  static final int MAX_PENDING_CHECKS = 256;

  static final int MAX_PENDING_CHECKS_PER_CLIENT = 32;
  private static final Logger LOG = LoggerFactory.getLogger(Access.class);

  /** What a request may do. */
  public sealed interface Verdict {}

  /** Allowed, as this caller. */
  public record Granted(Caller caller) implements Verdict {}

  /** Refused with this status and a message safe to send (no token, nothing about cameras). */
  public record Refused(int status, String message, long retryAfterSeconds) implements Verdict {}

  private final AuthSettings settings;
  private final TokenVerifier verifier;
  private final StreamTokens streamTokens;
  private final ClientCredentials clientCredentials;
  private final FailureLimiter failures;
  private final PendingChecks pending;
  private final Executor executor;
  private volatile IntConsumer refusals = status -> {};

  public Access(
      AuthSettings settings, TokenVerifier verifier, FailureLimiter failures, Executor executor) {
    this(
        settings,
        verifier,
        failures,
        executor,
        new PendingChecks(MAX_PENDING_CHECKS, MAX_PENDING_CHECKS_PER_CLIENT));
  }

  Access(
      AuthSettings settings,
      TokenVerifier verifier,
      FailureLimiter failures,
      Executor executor,
      PendingChecks pending) {
    this.settings = settings;
    this.verifier = verifier;
    this.failures = failures;
    this.executor = executor;
    this.pending = pending;
    this.streamTokens =
        settings.enabled()
            ? new StreamTokens(
                settings.streamTokenKey(), settings.streamTokenTtl(), Clock.systemUTC())
            : null;
    this.clientCredentials =
        settings.enabled() && verifier != null
            ? new ClientCredentials(
                ClientCredentials.tokenEndpoint(settings), verifier, System::nanoTime)
            : null;
  }

  /** Told the status of every refusal (metrics: camflow_delivery_auth_refusals_total). */
  public void onRefusal(IntConsumer listener) {
    this.refusals = listener;
  }

  /** The settings this door was made with. */
  public AuthSettings settings() {
    return settings;
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** The stream tokens of playlists; null when auth is off. */
  public StreamTokens streamTokens() {
    return streamTokens;
  }

  /**
   * Decides a request of {@code client} carrying {@code token} (null if none) that needs {@code
   * permission}. Completes at once when the token was checked before.
   */
  public CompletionStage<Verdict> check(String client, String token, Predicate<Caller> permission) {
    if (!settings.enabled()) {
      return CompletableFuture.completedFuture(new Granted(Caller.NOBODY_CHECKED));
    }
    if (token == null || token.isEmpty()) {
      return CompletableFuture.completedFuture(refuse(client, 401, "a bearer token is required"));
    }
    Caller known = verifier.remembered(token);
    if (known != null) {
      return CompletableFuture.completedFuture(decide(known, permission));
    }
    boolean mayFetchKeys = !failures.overBudget(client);
    return onExecutor(
        client,
        "new tokens",
        () -> {
          try {
            return decide(verifier.verify(token, mayFetchKeys), permission);
          } catch (InvalidTokenException e) {
            LOG.debug("token from {} refused: {}", client, e.getMessage());
            return refusal(client, e);
          }
        });
  }

  /**
   * Decides a request of {@code client} that presents a Keycloak client's id and secret (an NVR's
   * stored credentials, {@link ClientCredentials}) and needs {@code permission}: answered at once
   * when the same credentials were found valid within {@code maxAge}, else the realm is asked on
   * the auth executor — as for a new token, within the bounds of pending checks, and not at all for
   * an address over its failure budget (429). Wrong credentials count against the address.
   */
  public CompletionStage<Verdict> checkClient(
      String client, String id, String secret, Duration maxAge, Predicate<Caller> permission) {
    if (!settings.enabled()) {
      return CompletableFuture.completedFuture(new Granted(Caller.NOBODY_CHECKED));
    }
    if (clientCredentials == null) {
      return CompletableFuture.completedFuture(
          new Refused(503, "client credentials cannot be checked here", 0));
    }
    Caller known = clientCredentials.remembered(id, secret, maxAge);
    if (known != null) {
      return CompletableFuture.completedFuture(decide(known, permission));
    }
    if (!ClientCredentials.plausible(id, secret)) {
      return CompletableFuture.completedFuture(refuse(client, 401, "invalid credentials"));
    }
    if (failures.overBudget(client)) {
      return CompletableFuture.completedFuture(tooMany(client));
    }
    return onExecutor(
        client,
        "credentials",
        () -> {
          try {
            return decide(clientCredentials.exchange(id, secret), permission);
          } catch (InvalidTokenException e) {
            LOG.debug("client credentials from {} refused: {}", client, e.getMessage());
            return e.kind() == InvalidTokenException.Kind.INVALID
                ? refuse(client, 401, "invalid credentials")
                : refusal(client, e);
          }
        });
  }

  /**
   * Runs a check that may wait on the realm on the auth executor, within the bounds of pending
   * checks (in all and per address): 429/503 at once past them, 500 if the check fails, 503 while
   * shutting down.
   *
   * @param what what is being checked, for the refusals past the bounds ("new tokens")
   */
  private CompletionStage<Verdict> onExecutor(
      String client, String what, java.util.function.Supplier<Verdict> check) {
    switch (pending.enter(client)) {
      case ADMITTED -> {}
      case CLIENT_FULL -> {
        return CompletableFuture.completedFuture(
            answered(
                new Refused(
                    429,
                    "too many " + what + " from this address are being checked; try again",
                    1)));
      }
      case FULL -> {
        return CompletableFuture.completedFuture(
            answered(new Refused(503, "too many " + what + " are being checked; try again", 1)));
      }
    }
    CompletableFuture<Verdict> out = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              out.complete(check.get());
            } catch (RuntimeException e) {
              LOG.warn("{} check failed: {}", what, e.getClass().getName());
              out.complete(new Refused(500, "internal error", 0));
            } finally {
              pending.leave(client);
            }
          });
    } catch (RejectedExecutionException e) {
      pending.leave(client);
      out.complete(new Refused(503, "shutting down", 1));
    }
    return out;
  }

  /**
   * Refuses a request of {@code client} that has no valid credentials (also for refusals made
   * elsewhere: a stream token that does not fit), counted against its failure budget: the answer is
   * {@code status}, or 429 once the budget is spent.
   */
  public Refused refuse(String client, int status, String message) {
    if (failures.failed(client)) {
      return tooMany(client);
    }
    return answered(new Refused(status, message, 0));
  }

  private Refused refusal(String client, InvalidTokenException e) {
    return switch (e.kind()) {
      case INVALID -> refuse(client, 401, "invalid token");
      case KEY_NOT_YET_KNOWN ->
          failures.failed(client)
              ? tooMany(client)
              : answered(
                  new Refused(
                      503,
                      "the token's signing key is not known yet; try again",
                      e.retryAfterSeconds()));
      case KEYS_UNAVAILABLE ->
          answered(new Refused(503, "tokens cannot be checked right now", e.retryAfterSeconds()));
    };
  }

  /** A valid token: allowed, or 403 — never a failure of its address, never 429. */
  private Verdict decide(Caller caller, Predicate<Caller> permission) {
    if (permission.test(caller)) {
      return new Granted(caller);
    }
    return answered(new Refused(403, "forbidden", 0));
  }

  private Refused tooMany(String client) {
    return answered(
        new Refused(
            429,
            "too many refused requests from this address; try again later "
                + "(a valid token is accepted meanwhile)",
            failures.retryAfterSeconds(client)));
  }

  private Refused answered(Refused refused) {
    refusals.accept(refused.status());
    return refused;
  }
}
