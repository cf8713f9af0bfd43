package io.camflow.delivery.sessions;

import io.camflow.delivery.auth.Caller;
import io.camflow.media.StreamKey;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One viewer of one stream, from admission to its end: who (the token's user), how (protocol), what
 * (stream), since when, from where, and the media bytes sent so far. The protocol that admitted it
 * counts the bytes, ends it when the viewer goes, and supplies how an administrator disconnects it.
 * Holds a place of the limits until {@link #end()}. A long-lived session (MSE, WebRTC) also runs on
 * its viewer's token ({@link #runOn}): it ends when the token runs out or its user loses the camera
 * ({@link ViewerSessions#endExpired}, {@link ViewerSessions#recheck}).
 */
public final class ViewerSession {

  private final String id;
  private final Protocol protocol;
  private final StreamKey stream;
  private final String user;
  private final String remote;
  private final Instant since;
  private final Runnable disconnect;
  private final boolean publishing;
  private final ViewerSessions registry;
  private final java.util.function.LongSupplier nanos;
  private final LongAdder bytes = new LongAdder();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile long lastActiveNanos;
  private volatile TokenLease lease;
  private volatile Consumer<Ending> ending;

  ViewerSession(
      String id,
      Protocol protocol,
      StreamKey stream,
      String user,
      String remote,
      Instant since,
      Runnable disconnect,
      boolean publishing,
      ViewerSessions registry,
      java.util.function.LongSupplier nanos) {
    this.id = id;
    this.protocol = protocol;
    this.stream = stream;
    this.user = user;
    this.remote = remote;
    this.since = since;
    this.disconnect = disconnect;
    this.publishing = publishing;
    this.registry = registry;
    this.nanos = nanos;
    this.lastActiveNanos = nanos.getAsLong();
  }

  /** Random and unguessable: knowing one session's id tells nothing about another's. */
  public String id() {
    return id;
  }

  public Protocol protocol() {
    return protocol;
  }

  /**
   * Whether this is a publisher pushing the stream into camflow (RTSP RECORD), not a viewer: listed
   * with the sessions, counted in no viewer limit nor metric.
   */
  public boolean publishing() {
    return publishing;
  }

  public StreamKey stream() {
    return stream;
  }

  /**
   * The token's {@code preferred_username}, else its {@code sub}; {@code anonymous} when auth is
   * off.
   */
  public String user() {
    return user;
  }

  /** The client's address as delivery sees it (a proxy's, behind one). */
  public String remote() {
    return remote;
  }

  public Instant since() {
    return since;
  }

  /** Media bytes sent to this viewer so far. */
  public long bytes() {
    return bytes.sum();
  }

  /** Counts bytes sent to the viewer; also a sign of life. */
  public void sent(long n) {
    bytes.add(n);
    lastActiveNanos = nanos.getAsLong();
  }

  /** The viewer did something (a request). */
  public void touch() {
    lastActiveNanos = nanos.getAsLong();
  }

  /** Nanoseconds since the viewer last did something or was sent something. */
  public long idleNanos() {
    return nanos.getAsLong() - lastActiveNanos;
  }

  public boolean ended() {
    return ended.get();
  }

  /** The viewer is gone: gives back its places. Idempotent. */
  public void end() {
    if (ended.compareAndSet(false, true)) {
      registry.remove(this);
    }
  }

  /**
   * From now on the session runs on this caller's token: it ends through {@code end} (the
   * protocol's way of telling the viewer, which must end the session) when the token expires unless
   * {@link #renew renewed}, or when its user loses the camera. Not called when auth is off.
   */
  public void runOn(Caller caller, Consumer<Ending> end) {
    this.ending = Objects.requireNonNull(end, "end");
    this.lease = new TokenLease(caller, registry.leases().grace());
  }

  /** The token the session runs on, or null (HLS, auth off). */
  public TokenLease lease() {
    return lease;
  }

  /**
   * A fresh token's caller, already checked for the stream: true if the session goes on with it,
   * false if it is another user's (then the session ends, {@link Ending#TOKEN_REFUSED}).
   */
  public boolean renew(Caller fresh) {
    TokenLease l = lease;
    if (l == null) {
      return true;
    }
    if (l.renew(fresh)) {
      return true;
    }
    endFor(Ending.TOKEN_REFUSED);
    return false;
  }

  /** Ends the session because of its token, the protocol's way. */
  public void endFor(Ending why) {
    Consumer<Ending> e = ending;
    if (e != null && !ended()) {
      e.accept(why);
    }
    end();
  }

  /** Disconnects the viewer the protocol's way (which ends the session). */
  void disconnect() {
    disconnect.run();
  }

  @Override
  public String toString() {
    return protocol.id() + " session of " + user + " on " + stream;
  }
}
