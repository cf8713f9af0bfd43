package io.camflow.delivery.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.Caller;
import io.camflow.media.StreamKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Expiry, renewal and revocation of sessions on tokens, on a clock the test turns. */
class SessionWatchTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final StreamKey GARAGE = new StreamKey("garage", "main");
  static final StreamKey DEMO = new StreamKey("demo", "main");

  final MutableClock clock = new MutableClock(T0);
  final ViewerSessions sessions =
      new ViewerSessions(ViewerLimits.defaults(), clock, System::nanoTime)
          .leases(new TokenLeaseSettings(Duration.ofSeconds(30), Duration.ofSeconds(60)));

  /** What each session was ended for, by id. */
  final Map<String, List<Ending>> endings = new ConcurrentHashMap<>();

  final Map<String, Set<String>> liveUsers = new ConcurrentHashMap<>();
  final List<String> asked = new ArrayList<>();
  final SessionWatch watch =
      new SessionWatch(
          sessions,
          clock,
          camera -> {
            asked.add(camera);
            Set<String> users = liveUsers.get(camera);
            if (users == null) {
              throw new IllegalStateException("Keycloak unreachable");
            }
            return users;
          });

  static Caller caller(String name, Instant exp, String... roles) {
    return new Caller("sub-" + name, name, Set.of(roles), exp);
  }

  ViewerSession session(Protocol protocol, StreamKey stream, Caller caller) {
    ViewerSession s =
        ((Admission.Admitted)
                sessions.admit(protocol, stream, caller.username(), "10.0.0.1", () -> {}))
            .session();
    s.runOn(caller, why -> endings.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(why));
    return s;
  }

  @Test
  void aSessionEndsAtItsTokensExpiryPlusTheGraceNotBefore() {
    ViewerSession s =
        session(Protocol.MSE, DEMO, caller("alice", T0.plusSeconds(300), "camera:demo:live"));
    clock.now = T0.plusSeconds(329);
    assertEquals(0, watch.sweep());
    assertFalse(s.ended(), "the token expired 29 s ago: within the grace");
    clock.now = T0.plusSeconds(330);
    assertEquals(1, watch.sweep());
    assertTrue(s.ended());
    assertEquals(
        List.of(Ending.TOKEN_EXPIRED), endings.get(s.id()), "told once, the protocol's way");
    assertEquals(0, sessions.count(), "its place is given back");
    assertEquals(0, watch.sweep());
    assertEquals(List.of(Ending.TOKEN_EXPIRED), endings.get(s.id()));
  }

  @Test
  void aFreshTokenOfTheSameUserKeepsItGoing() {
    ViewerSession s =
        session(Protocol.WEBRTC, DEMO, caller("alice", T0.plusSeconds(300), "camera:demo:live"));
    clock.now = T0.plusSeconds(270); // the web viewer refreshes 30 s before exp
    assertTrue(s.renew(caller("alice", T0.plusSeconds(570), "camera:demo:live")));
    clock.now = T0.plusSeconds(331);
    assertEquals(0, watch.sweep());
    assertFalse(s.ended(), "past the first token's deadline: the second carries it");
    clock.now = T0.plusSeconds(600);
    watch.sweep();
    assertTrue(s.ended(), "and ends with the second's");
    assertEquals(List.of(Ending.TOKEN_EXPIRED), endings.get(s.id()));
  }

  @Test
  void aFreshTokenOfAnotherUserEndsItAtOnce() {
    ViewerSession s =
        session(Protocol.MSE, DEMO, caller("alice", T0.plusSeconds(300), "camera:demo:live"));
    assertFalse(s.renew(caller("mallory", T0.plusSeconds(900), "camera:demo:live")));
    assertTrue(s.ended());
    assertEquals(List.of(Ending.TOKEN_REFUSED), endings.get(s.id()));
  }

  @Test
  void aSessionWithoutATokenNeverExpires() {
    ViewerSession hls =
        ((Admission.Admitted) sessions.admit(Protocol.HLS, DEMO, "alice", "10.0.0.1", () -> {}))
            .session();
    clock.now = T0.plus(Duration.ofDays(1));
    assertEquals(0, watch.sweep());
    assertFalse(hls.ended(), "HLS requests carry their tokens each time; no lease");
  }

  @Test
  void aRevocationEndsTheSessionsOfUsersWhoLostTheCameraOnly() {
    Instant exp = T0.plusSeconds(300);
    ViewerSession alice = session(Protocol.MSE, GARAGE, caller("alice", exp, "camera:garage:live"));
    ViewerSession aliceRtc =
        session(Protocol.WEBRTC, GARAGE, caller("alice", exp, "camera:garage:live"));
    ViewerSession bob = session(Protocol.MSE, GARAGE, caller("bob", exp, "camera:garage:live"));
    ViewerSession admin = session(Protocol.MSE, GARAGE, caller("root", exp, Caller.ADMIN_ROLE));
    ViewerSession aliceDemo = session(Protocol.MSE, DEMO, caller("alice", exp, "camera:demo:live"));
    assertEquals(2, watch.revoked("garage", List.of("Bob", "carol")));
    assertTrue(alice.ended() && aliceRtc.ended(), "both of alice's sessions of the camera");
    assertEquals(List.of(Ending.ACCESS_REVOKED), endings.get(alice.id()));
    assertEquals(List.of(Ending.ACCESS_REVOKED), endings.get(aliceRtc.id()));
    assertFalse(bob.ended(), "still listed (names compare without case)");
    assertFalse(admin.ended(), "camflow:admin is no camera grant");
    assertFalse(aliceDemo.ended(), "another camera");
  }

  @Test
  void thePeriodicRecheckAsksTheRealmPerWatchedCameraAndKeepsSessionsWhenItCannotTell() {
    Instant exp = T0.plusSeconds(300);
    ViewerSession garage =
        session(Protocol.MSE, GARAGE, caller("alice", exp, "camera:garage:live"));
    ViewerSession demo = session(Protocol.WEBRTC, DEMO, caller("alice", exp, "camera:demo:live"));
    sessions.admit(Protocol.HLS, new StreamKey("porch", "main"), "alice", "10.0.0.1", () -> {});
    liveUsers.put("garage", Set.of("alice"));
    watch.recheckAll();
    assertEquals(
        List.of("demo", "garage"), asked, "only cameras with sessions on a token, once each");
    assertFalse(garage.ended(), "still granted");
    assertFalse(demo.ended(), "the realm could not tell: left to the token's expiry");
    liveUsers.put("garage", Set.of());
    liveUsers.put("demo", Set.of("alice"));
    watch.recheckAll();
    assertTrue(garage.ended(), "revoked in Keycloak's console: found at the next re-check");
    assertEquals(List.of(Ending.ACCESS_REVOKED), endings.get(garage.id()));
    assertFalse(demo.ended());
  }

  @Test
  void withoutTheAdminClientOnlyExpiryApplies() {
    SessionWatch noRealm = new SessionWatch(sessions, clock, null);
    ViewerSession s =
        session(Protocol.MSE, GARAGE, caller("alice", T0.plusSeconds(300), "camera:garage:live"));
    noRealm.recheckAll();
    assertFalse(s.ended());
    clock.now = T0.plusSeconds(330);
    noRealm.sweep();
    assertTrue(s.ended());
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
