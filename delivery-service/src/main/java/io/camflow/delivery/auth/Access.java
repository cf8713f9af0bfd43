package io.camflow.delivery.auth;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of every request that needs a token: finds the caller of a bearer token and decides
 * whether they may do what they ask. A token checked before answers at once on the calling thread;
 * a new one is checked on the auth executor (it may fetch the realm's keys), never on an event loop.
 * Refusals: 401 without a valid token, 403 with one that lacks the permission (asked about a camera
 * that does not exist, the answer is the same 403: nothing tells an unauthorised caller which cameras
 * exist), 429 once a client has been refused too often, 503 if the realm's keys cannot be fetched.
 */
public final class Access {

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
  private final FailureLimiter failures;
  private final Executor executor;
  private volatile java.util.function.IntConsumer refusals = status -> {};

  public Access(AuthSettings settings, TokenVerifier verifier, FailureLimiter failures, Executor executor) {
    this.settings = settings;
    this.verifier = verifier;
    this.failures = failures;
    this.executor = executor;
    this.streamTokens = settings.enabled()
        ? new StreamTokens(settings.streamTokenKey(), settings.streamTokenTtl(), Clock.systemUTC())
        : null;
  }

  /** Told the status of every refusal (metrics: camflow_delivery_auth_refusals_total). */
  public void onRefusal(java.util.function.IntConsumer listener) {
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
   * Decides a request of {@code client} carrying {@code token} (null if none) that needs
   * {@code permission}. Completes at once when the token was checked before.
   */
  public CompletionStage<Verdict> check(String client, String token, Predicate<Caller> permission) {
    if (!settings.enabled()) {
      return CompletableFuture.completedFuture(new Granted(Caller.NOBODY_CHECKED));
    }
    if (failures.blocked(client)) {
      return CompletableFuture.completedFuture(tooMany(client));
    }
    if (token == null || token.isEmpty()) {
      return CompletableFuture.completedFuture(refuse(client, 401, "a bearer token is required"));
    }
    Caller known = verifier.remembered(token);
    if (known != null) {
      return CompletableFuture.completedFuture(decide(client, known, permission));
    }
    CompletableFuture<Verdict> out = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          out.complete(decide(client, verifier.verify(token), permission));
        } catch (InvalidTokenException e) {
          LOG.debug("token from {} refused: {}", client, e.getMessage());
          out.complete(e.keysUnavailable()
              ? new Refused(503, "tokens cannot be checked right now", 5)
              : refuse(client, 401, "invalid token"));
        } catch (RuntimeException e) {
          LOG.warn("token check failed: {}", e.getClass().getName());
          out.complete(new Refused(500, "internal error", 0));
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      out.complete(new Refused(503, "shutting down", 1));
    }
    return out;
  }

  /** Records a refusal made elsewhere (a stream token that did not fit) for the rate limit. */
  public Refused refuse(String client, int status, String message) {
    failures.failed(client);
    refusals.accept(status);
    return new Refused(status, message, 0);
  }

  /** Whether {@code client} is being refused for too many failures now (429). */
  public Refused blockedNow(String client) {
    return settings.enabled() && failures.blocked(client) ? tooMany(client) : null;
  }

  private Verdict decide(String client, Caller caller, Predicate<Caller> permission) {
    if (permission.test(caller)) {
      return new Granted(caller);
    }
    return refuse(client, 403, "forbidden");
  }

  private Refused tooMany(String client) {
    refusals.accept(429);
    return new Refused(429, "too many refused requests; try again later", failures.retryAfterSeconds(client));
  }
}
