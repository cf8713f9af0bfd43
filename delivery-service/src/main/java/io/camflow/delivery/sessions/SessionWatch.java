package io.camflow.delivery.sessions;

import io.camflow.delivery.auth.Caller;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps long-lived sessions (MSE, WebRTC) within what their tokens allow (docs/permissions.md,
 * "Long-lived sessions"): once a second it ends those whose token ran out ({@link #sweep}); after a
 * revocation made through camflow's API it ends the sessions of that camera whose user lost it
 * ({@link #revoked}); and every {@link TokenLeaseSettings#recheckInterval()} it asks the realm who
 * may still watch each camera being watched ({@link #recheckAll}), which catches revocations made
 * in Keycloak's own console.
 *
 * <p>What the realm lists are user names with the camera's live role (directly or through groups).
 * A session of an admin ({@code camflow:admin} in its token) is left to its token's expiry: that
 * role is no camera grant. So is one whose token names no user ({@code preferred_username}).
 */
public final class SessionWatch implements AutoCloseable {

  /** Who may watch a camera live now, as the realm says; blocking (an admin call). */
  @FunctionalInterface
  public interface LiveGrants {

    /** The user names holding {@code camera}'s live permission now. */
    Collection<String> users(String camera);
  }

  static final long SWEEP_MILLIS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(SessionWatch.class);

  private final ViewerSessions sessions;
  private final Clock clock;
  private final LiveGrants grants;
  private final AtomicBoolean rechecking = new AtomicBoolean();
  private final List<ScheduledFuture<?>> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param grants the realm's answer (Keycloak's admin API), or null when delivery has no admin
   *     client
   */
  public SessionWatch(ViewerSessions sessions, Clock clock, LiveGrants grants) {
    this.sessions = sessions;
    this.clock = clock;
    this.grants = grants;
  }

  /**
   * Sweeps once a second on {@code scheduler}; re-checks periodically on {@code blocking}, if it
   * can.
   */
  public SessionWatch start(ScheduledExecutorService scheduler, Executor blocking) {
    tasks.add(
        scheduler.scheduleWithFixedDelay(
            this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS));
    TokenLeaseSettings settings = sessions.leases();
    if (grants != null && settings.rechecks()) {
      long every = settings.recheckInterval().toMillis();
      tasks.add(
          scheduler.scheduleWithFixedDelay(
              () -> {
                try {
                  blocking.execute(this::recheckAll);
                } catch (RejectedExecutionException e) {
                  // shutting down
                }
              },
              every,
              every,
              TimeUnit.MILLISECONDS));
    }
    return this;
  }

  /** Ends the sessions whose token's deadline passed; how many. */
  public int sweep() {
    try {
      return sessions.endExpired(clock.instant());
    } catch (RuntimeException e) {
      LOG.warn("ending expired sessions failed: {}", e.toString());
      return 0;
    }
  }

  /**
   * A live permission of {@code camera} was revoked: ends the sessions of users not among {@code
   * liveUsers} (the realm's list right after the change); how many.
   */
  public int revoked(String camera, Collection<String> liveUsers) {
    int n = sessions.recheck(camera, allowed(liveUsers));
    if (n > 0) {
      LOG.info("camera {}: {} session(s) ended, their users may no longer watch it", camera, n);
    }
    return n;
  }

  /**
   * Asks the realm about every camera with sessions on a token (blocking); ends what it no longer
   * allows.
   */
  public void recheckAll() {
    if (grants == null || !rechecking.compareAndSet(false, true)) {
      return;
    }
    try {
      for (String camera : sessions.leasedCameras()) {
        Collection<String> users;
        try {
          users = grants.users(camera);
        } catch (RuntimeException e) {
          // the realm cannot tell now: sessions go on, bounded by their tokens' expiry
          LOG.warn(
              "camera {}: access of its viewers not re-checked: {}",
              camera,
              e.getClass().getSimpleName());
          continue;
        }
        revoked(camera, users);
      }
    } finally {
      rechecking.set(false);
    }
  }

  static Predicate<Caller> allowed(Collection<String> liveUsers) {
    Set<String> names =
        liveUsers.stream().map(u -> u.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    return c ->
        c.isAdmin()
            || c.username().isEmpty()
            || names.contains(c.username().toLowerCase(Locale.ROOT));
  }

  @Override
  public void close() {
    tasks.forEach(t -> t.cancel(false));
  }
}
