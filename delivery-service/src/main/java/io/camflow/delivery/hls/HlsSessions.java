package io.camflow.delivery.hls;

import io.camflow.delivery.door.Reply;
import io.camflow.delivery.sessions.Admission;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * HLS viewers as {@link ViewerSessions sessions}. HLS is stateless HTTP, so a session is a (user,
 * stream, client address) seen on playlist, part and segment requests; it ends after {@link #IDLE}
 * without a request or a byte sent. A new session takes a place of the shared limits (over one:
 * {@code 503} with {@code Retry-After}); requests of a session that exists are never refused by a
 * limit. Media requests that carry only a stream token name no user: they belong to the latest
 * session of their stream and address, or start one of user {@link #STREAM_TOKEN_USER}. An
 * administrator's disconnect forgets the session and refuses that user, stream and address for
 * {@link #QUARANTINE} ({@code 403}); keeping someone out for good is revoking their access in
 * Keycloak.
 */
public final class HlsSessions implements AutoCloseable {

  /**
   * A session without a request (or a byte sent) for this long is over: 5 × a 2 s segment and then
   * some.
   */
  public static final Duration IDLE = Duration.ofSeconds(15);

  /** How long a disconnected viewer's (user, stream, address) is refused. */
  public static final Duration QUARANTINE = Duration.ofSeconds(30);

  /**
   * Retry-After of a viewer refused by a limit: about when an idle session gives its place back.
   */
  static final long RETRY_AFTER_SECONDS = 15;

  /** The user of a session a stream-token-only media request started (no playlist request seen). */
  public static final String STREAM_TOKEN_USER = ViewerSessions.STREAM_TOKEN_USER;

  /** What a request gets: its session, or the refusal to send. */
  public sealed interface Entry {}

  public record Viewing(ViewerSession session) implements Entry {

    /** {@code answer}, counting the body bytes into the session. */
    public Consumer<Reply> counted(Consumer<Reply> answer) {
      return CountedReply.of(answer, session);
    }
  }

  public record Refused(Reply reply) implements Entry {}

  private record Key(String user, StreamKey stream, String client) {}

  private record Place(StreamKey stream, String client) {}

  private final ViewerSessions sessions;
  private final LongSupplier nanos;
  private final long idleNanos;
  private final long quarantineNanos;
  private final ConcurrentHashMap<Key, ViewerSession> open = new ConcurrentHashMap<>();

  /** The latest session seen at a stream and address: where stream-token-only requests belong. */
  private final ConcurrentHashMap<Place, ViewerSession> latest = new ConcurrentHashMap<>();

  /** Disconnected viewers, until when (nanos) they are refused. */
  private final ConcurrentHashMap<Key, Long> quarantined = new ConcurrentHashMap<>();

  private final ScheduledFuture<?> sweeper;

  public HlsSessions(ViewerSessions sessions, ScheduledExecutorService scheduler) {
    this(sessions, scheduler, IDLE, QUARANTINE, System::nanoTime);
  }

  /**
   * With other times and clock (tests); {@code scheduler} null: {@link #sweep()} is called by hand.
   */
  public HlsSessions(
      ViewerSessions sessions,
      ScheduledExecutorService scheduler,
      Duration idle,
      Duration quarantine,
      LongSupplier nanos) {
    this.sessions = sessions;
    this.nanos = nanos;
    this.idleNanos = idle.toNanos();
    this.quarantineNanos = quarantine.toNanos();
    this.sweeper =
        scheduler == null
            ? null
            : scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * The session of a request that may see {@code stream}.
   *
   * @param user the caller's name (a user token, or anonymous when auth is off); null for a media
   *     request that carries only a stream token
   * @param client the client's address
   */
  public Entry enter(String user, StreamKey stream, String client) {
    long now = nanos.getAsLong();
    Place place = new Place(stream, client);
    if (user == null) {
      ViewerSession s = latest.get(place);
      if (s != null && !s.ended()) {
        s.touch();
        return new Viewing(s);
      }
      for (Key k : quarantined.keySet()) { // whoever was disconnected here: the token names nobody
        if (k.stream().equals(stream) && k.client().equals(client) && isQuarantined(k, now)) {
          return disconnected(now, k);
        }
      }
      user = STREAM_TOKEN_USER;
    }
    Key key = new Key(user, stream, client);
    if (isQuarantined(key, now)) {
      return disconnected(now, key);
    }
    Admission admission = join(key);
    if (admission instanceof Admission.Refused) {
      sweep(); // a place an idle session still holds is free
      admission = join(key);
    }
    if (admission == null) {
      return disconnected(now, key); // disconnected while this request was on its way
    }
    if (admission instanceof Admission.Refused r) {
      return new Refused(
          Reply.text(503, r.reason() + "; try again later")
              .withHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS)));
    }
    ViewerSession s = ((Admission.Admitted) admission).session();
    latest.put(place, s);
    return new Viewing(s);
  }

  /**
   * The key's open session, touched, or a new one if the limits allow; null if it is quarantined.
   */
  private Admission join(Key key) {
    Admission[] admission = new Admission[1];
    open.compute(
        key,
        (k, old) -> {
          if (isQuarantined(k, nanos.getAsLong())) {
            return null;
          }
          if (old != null && !old.ended()) {
            old.touch();
            admission[0] = new Admission.Admitted(old);
            return old;
          }
          admission[0] =
              sessions.admit(Protocol.HLS, k.stream(), k.user(), k.client(), () -> disconnect(k));
          return admission[0] instanceof Admission.Admitted a ? a.session() : null;
        });
    return admission[0];
  }

  /** An administrator's disconnect: forget the session, refuse its viewer for a while. */
  private void disconnect(Key key) {
    quarantined.put(key, nanos.getAsLong() + quarantineNanos);
    ViewerSession s = open.remove(key);
    if (s != null) {
      latest.remove(new Place(key.stream(), key.client()), s);
      s.end();
    }
  }

  private boolean isQuarantined(Key key, long now) {
    Long until = quarantined.get(key);
    return until != null && now - until < 0;
  }

  private Refused disconnected(long now, Key key) {
    Long until = quarantined.get(key);
    long seconds =
        until == null ? 1 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(until - now + 999_999_999L));
    return new Refused(
        Reply.text(403, "disconnected by an administrator; try again in " + seconds + " s")
            .withHeader("Retry-After", Long.toString(seconds)));
  }

  /** Ends the sessions idle for longer than the idle time, forgets quarantines that are over. */
  public void sweep() {
    long now = nanos.getAsLong();
    open.forEach(
        (k, s) -> {
          if ((s.ended() || s.idleNanos() > idleNanos) && open.remove(k, s)) {
            latest.remove(new Place(k.stream(), k.client()), s);
            s.end();
          }
        });
    quarantined.values().removeIf(until -> now - until >= 0);
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.cancel(false);
    }
  }
}
