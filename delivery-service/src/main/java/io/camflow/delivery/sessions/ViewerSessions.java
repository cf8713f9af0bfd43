package io.camflow.delivery.sessions;

import io.camflow.delivery.auth.Caller;
import io.camflow.media.StreamKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Every viewer of this delivery instance, whatever the protocol: the one place viewers are counted.
 * It owns the limits ({@link ViewerLimits}, all protocols together: in total, per stream, and the
 * share one user and one client address may take), so an MSE viewer and an HLS viewer compete for
 * the same places and one account or one address cannot take every place; it lists the sessions for
 * {@code /api/v1/sessions} and the metrics, and disconnects one on an administrator's request
 * through the callback its protocol supplied. Admission and removal take one lock (they are rare
 * next to media); counting bytes does not.
 */
public final class ViewerSessions {

  /** Who a session belongs to when the token names nobody or auth is off. */
  public static final String ANONYMOUS = "anonymous";

  /**
   * Who a session belongs to when its requests carry only a stream token (HLS media): nobody named.
   */
  public static final String STREAM_TOKEN_USER = "(stream token)";

  /** The refusal of every viewer once {@link #close()} was called. */
  public static final String SHUTTING_DOWN = "server shutting down";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ViewerLimits limits;
  private final Clock clock;
  private final LongSupplier nanos;
  private final Map<String, ViewerSession> byId = new LinkedHashMap<>();

  /** How many of {@link #byId} are publishers. */
  private int publishers;

  private final Map<StreamKey, Integer> perStream = new HashMap<>();
  private final Map<Protocol, Integer> perProtocol = new EnumMap<>(Protocol.class);

  /** Sessions of each named user, and from each address share ({@link AddressShare}). */
  private final Map<String, Integer> perUser = new HashMap<>();

  private final Map<String, Integer> perAddress = new HashMap<>();
  private boolean closing;
  private volatile TokenLeaseSettings leases = TokenLeaseSettings.defaults();

  public ViewerSessions(ViewerLimits limits) {
    this(limits, Clock.systemUTC(), System::nanoTime);
  }

  /** With other clocks (tests): wall time for {@code since}, nanos for idle times. */
  public ViewerSessions(ViewerLimits limits, Clock clock, LongSupplier nanos) {
    this.limits = limits;
    this.clock = clock;
    this.nanos = nanos;
  }

  public ViewerLimits limits() {
    return limits;
  }

  /** How long sessions live on their tokens. */
  public TokenLeaseSettings leases() {
    return leases;
  }

  /** Other token lease settings (before viewers come). */
  public ViewerSessions leases(TokenLeaseSettings settings) {
    this.leases = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * The name a session shows for a caller: preferred_username, else sub, else {@value #ANONYMOUS}.
   */
  public static String userOf(Caller caller) {
    if (caller == null) {
      return ANONYMOUS;
    }
    if (!caller.username().isEmpty()) {
      return caller.username();
    }
    return caller.subject().isEmpty() ? ANONYMOUS : caller.subject();
  }

  /**
   * Gives a new viewer a place if every limit allows it: the total, the stream's, the user's share
   * and the address's share.
   *
   * @param remote the client's address
   * @param disconnect how an administrator's disconnect reaches the viewer; it must end the session
   */
  public synchronized Admission admit(
      Protocol protocol, StreamKey stream, String user, String remote, Runnable disconnect) {
    if (closing) {
      return new Admission.Refused(SHUTTING_DOWN);
    }
    if (byId.size() - publishers >= limits.total()) {
      return new Admission.Refused("viewer limit reached");
    }
    if (perStream.getOrDefault(stream, 0) >= limits.perStream()) {
      return new Admission.Refused("viewer limit of the stream reached");
    }
    String named = named(user);
    if (named != null
        && limits.perUser() > 0
        && perUser.getOrDefault(named, 0) >= limits.perUser()) {
      return new Admission.Refused("viewer limit of the user reached");
    }
    String share = AddressShare.of(remote);
    if (share != null
        && limits.perAddress() > 0
        && perAddress.getOrDefault(share, 0) >= limits.perAddress()) {
      return new Admission.Refused("viewer limit of the address reached");
    }
    String id;
    do {
      id = newId();
    } while (byId.containsKey(id));
    ViewerSession s =
        new ViewerSession(
            id, protocol, stream, user, remote, clock.instant(), disconnect, false, this, nanos);
    byId.put(id, s);
    perStream.merge(stream, 1, Integer::sum);
    perProtocol.merge(protocol, 1, Integer::sum);
    if (named != null) {
      perUser.merge(named, 1, Integer::sum);
    }
    if (share != null) {
      perAddress.merge(share, 1, Integer::sum);
    }
    return new Admission.Admitted(s);
  }

  /**
   * A publisher pushing {@code stream} in (RTSP RECORD): listed with the sessions and disconnected
   * like them, but no viewer — no viewer limit applies (a stream has one publisher) and no viewer
   * count or metric includes it.
   *
   * @param disconnect how an administrator's disconnect reaches the publisher; it must end the
   *     session
   */
  public synchronized Admission admitPublisher(
      Protocol protocol, StreamKey stream, String user, String remote, Runnable disconnect) {
    if (closing) {
      return new Admission.Refused(SHUTTING_DOWN);
    }
    String id;
    do {
      id = newId();
    } while (byId.containsKey(id));
    ViewerSession s =
        new ViewerSession(
            id, protocol, stream, user, remote, clock.instant(), disconnect, true, this, nanos);
    byId.put(id, s);
    publishers++;
    return new Admission.Admitted(s);
  }

  synchronized void remove(ViewerSession s) {
    if (!byId.remove(s.id(), s)) {
      return;
    }
    if (s.publishing()) {
      publishers--;
    } else {
      perStream.computeIfPresent(s.stream(), (k, n) -> n <= 1 ? null : n - 1);
      perProtocol.computeIfPresent(s.protocol(), (k, n) -> n <= 1 ? null : n - 1);
      String named = named(s.user());
      if (named != null) {
        perUser.computeIfPresent(named, (k, n) -> n <= 1 ? null : n - 1);
      }
      String share = AddressShare.of(s.remote());
      if (share != null) {
        perAddress.computeIfPresent(share, (k, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  /**
   * The user a share is counted for, or null for nobody named: with auth off everyone is {@value
   * #ANONYMOUS}, and a stream token names no user (its requests still count for their address).
   */
  private static String named(String user) {
    return user == null || user.equals(ANONYMOUS) || user.equals(STREAM_TOKEN_USER) ? null : user;
  }

  /** The sessions now, oldest first. */
  public synchronized List<ViewerSession> list() {
    return byId.values().stream().sorted(Comparator.comparing(ViewerSession::since)).toList();
  }

  public synchronized Optional<ViewerSession> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Disconnects a session through its protocol; false if there is no such session. The callback
   * runs outside the lock (it may end the session, or others).
   */
  public boolean disconnect(String id) {
    ViewerSession s = find(id).orElse(null);
    if (s == null) {
      return false;
    }
    s.disconnect();
    return true;
  }

  /**
   * Ends every session whose token's deadline ({@link TokenLease#deadline()}) is past at {@code
   * now}, each the way its protocol tells its viewer ({@link Ending#TOKEN_EXPIRED}).
   *
   * @return how many ended
   */
  public int endExpired(Instant now) {
    int n = 0;
    for (ViewerSession s : list()) {
      TokenLease l = s.lease();
      if (l != null && l.expired(now)) {
        s.endFor(Ending.TOKEN_EXPIRED);
        n++;
      }
    }
    return n;
  }

  /**
   * Ends the sessions of {@code camera} whose user no longer {@code mayWatch} it ({@link
   * Ending#ACCESS_REVOKED}): after a revocation, and periodically.
   *
   * @return how many ended
   */
  public int recheck(String camera, Predicate<Caller> mayWatch) {
    int n = 0;
    for (ViewerSession s : list()) {
      TokenLease l = s.lease();
      if (l != null && s.stream().camera().equals(camera) && !mayWatch.test(l.caller())) {
        s.endFor(Ending.ACCESS_REVOKED);
        n++;
      }
    }
    return n;
  }

  /** The cameras of sessions that run on a token (what a periodic re-check looks up). */
  public Set<String> leasedCameras() {
    Set<String> out = new TreeSet<>();
    for (ViewerSession s : list()) {
      if (s.lease() != null) {
        out.add(s.stream().camera());
      }
    }
    return out;
  }

  /** Viewers of all streams (publishers are no viewers). */
  public synchronized int count() {
    return byId.size() - publishers;
  }

  /** Viewers using {@code protocol} (camflow_delivery_viewers{protocol}). */
  public synchronized int count(Protocol protocol) {
    return perProtocol.getOrDefault(protocol, 0);
  }

  /** Viewers of {@code stream}, all protocols. */
  public synchronized int count(StreamKey stream) {
    return perStream.getOrDefault(stream, 0);
  }

  /** Viewers of each stream with any, all protocols together (the demand heartbeat). */
  public synchronized Map<StreamKey, Integer> perStream() {
    return Map.copyOf(perStream);
  }

  /**
   * Viewers of {@code stream} by protocol id, every protocol named, 0 included (the cameras API).
   */
  public synchronized Map<String, Integer> byProtocol(StreamKey stream) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Protocol p : Protocol.values()) {
      out.put(p.id(), 0);
    }
    for (ViewerSession s : byId.values()) {
      if (s.stream().equals(stream) && !s.publishing()) {
        out.merge(s.protocol().id(), 1, Integer::sum);
      }
    }
    return out;
  }

  /** Streams with at least one viewer (camflow_delivery_streams_watched). */
  public synchronized int streams() {
    return perStream.size();
  }

  /** From now on every new viewer is refused (shutdown); the protocols close the ones there are. */
  public synchronized void close() {
    closing = true;
  }

  private static String newId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
