package io.camflow.delivery.sessions;

import io.camflow.media.StreamKey;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One viewer of one stream, from admission to its end: who (the token's user), how (protocol),
 * what (stream), since when, from where, and the media bytes sent so far. The protocol that
 * admitted it counts the bytes, ends it when the viewer goes, and supplies how an administrator
 * disconnects it. Holds a place of the limits until {@link #end()}.
 */
public final class ViewerSession {

  private final String id;
  private final Protocol protocol;
  private final StreamKey stream;
  private final String user;
  private final String remote;
  private final Instant since;
  private final Runnable disconnect;
  private final ViewerSessions registry;
  private final java.util.function.LongSupplier nanos;
  private final LongAdder bytes = new LongAdder();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile long lastActiveNanos;

  ViewerSession(String id, Protocol protocol, StreamKey stream, String user, String remote, Instant since,
      Runnable disconnect, ViewerSessions registry, java.util.function.LongSupplier nanos) {
    this.id = id;
    this.protocol = protocol;
    this.stream = stream;
    this.user = user;
    this.remote = remote;
    this.since = since;
    this.disconnect = disconnect;
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

  public StreamKey stream() {
    return stream;
  }

  /** The token's {@code preferred_username}, else its {@code sub}; {@code anonymous} when auth is off. */
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

  /** Disconnects the viewer the protocol's way (which ends the session). */
  void disconnect() {
    disconnect.run();
  }

  @Override
  public String toString() {
    return protocol.id() + " session of " + user + " on " + stream;
  }
}
