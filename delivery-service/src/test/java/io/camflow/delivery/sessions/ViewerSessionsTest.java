package io.camflow.delivery.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.Caller;
import io.camflow.media.StreamKey;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ViewerSessionsTest {

  static final StreamKey A = new StreamKey("cam", "main");
  static final StreamKey B = new StreamKey("cam", "sub");

  final ViewerSessions sessions = new ViewerSessions(new ViewerLimits(3, 2));

  ViewerSession admit(Protocol p, StreamKey k) {
    return ((Admission.Admitted) sessions.admit(p, k, "u", "10.0.0.1", () -> { })).session();
  }

  @Test
  void limitsCountEveryProtocolTogether() {
    ViewerSession hls = admit(Protocol.HLS, A);
    admit(Protocol.MSE, A);
    Admission third = sessions.admit(Protocol.MSE, A, "u", "10.0.0.2", () -> { });
    assertEquals(new Admission.Refused("viewer limit of the stream reached"), third, "an HLS and an MSE viewer fill A");
    admit(Protocol.HLS, B);
    assertEquals(new Admission.Refused("viewer limit reached"), sessions.admit(Protocol.MSE, B, "u", "x", () -> { }),
        "3 in total");
    hls.end();
    hls.end(); // idempotent: gives back one place, not two
    assertEquals(2, sessions.count());
    assertInstanceOf(Admission.Admitted.class, sessions.admit(Protocol.MSE, A, "u", "x", () -> { }));
    assertEquals(new Admission.Refused("viewer limit reached"), sessions.admit(Protocol.MSE, A, "u", "x", () -> { }));
  }

  @Test
  void countsByProtocolAndStream() {
    admit(Protocol.HLS, A);
    admit(Protocol.MSE, A);
    ViewerSession b = admit(Protocol.MSE, B);
    assertEquals(1, sessions.count(Protocol.HLS));
    assertEquals(2, sessions.count(Protocol.MSE));
    assertEquals(2, sessions.count(A));
    assertEquals(2, sessions.streams());
    assertEquals(Map.of("hls", 1, "mse", 1, "webrtc", 0), sessions.byProtocol(A));
    b.end();
    assertEquals(1, sessions.streams());
    assertEquals(Map.of("hls", 0, "mse", 0, "webrtc", 0), sessions.byProtocol(B), "every protocol named");
  }

  @Test
  void disconnectRunsTheProtocolsCallbackAndUnknownIdsAreFalse() {
    AtomicInteger called = new AtomicInteger();
    ViewerSession[] s = new ViewerSession[1];
    s[0] = ((Admission.Admitted) sessions.admit(Protocol.MSE, A, "u", "x", () -> {
      called.incrementAndGet();
      s[0].end();
    })).session();
    assertTrue(sessions.find(s[0].id()).isPresent());
    assertTrue(sessions.disconnect(s[0].id()));
    assertEquals(1, called.get());
    assertTrue(sessions.find(s[0].id()).isEmpty());
    assertFalse(sessions.disconnect(s[0].id()));
    assertFalse(sessions.disconnect("nope"));
  }

  @Test
  void idsAreRandomAndBytesAccumulate() {
    ViewerSessions big = new ViewerSessions(new ViewerLimits(1000, 1000));
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      ViewerSession s = ((Admission.Admitted) big.admit(Protocol.HLS, A, "u", "x", () -> { })).session();
      assertTrue(s.id().matches("[A-Za-z0-9_-]{22}"), s.id());
      ids.add(s.id());
    }
    assertEquals(500, ids.size());
    ViewerSession s = big.list().get(0);
    s.sent(100);
    s.sent(23);
    assertEquals(123, s.bytes());
    assertFalse(s.since().isAfter(Instant.now()));
  }

  @Test
  void listIsOldestFirstAndClosingRefusesEveryone() throws Exception {
    ViewerSession first = admit(Protocol.HLS, A);
    Thread.sleep(2);
    ViewerSession second = admit(Protocol.MSE, B);
    assertEquals(List.of(first, second), sessions.list());
    sessions.close();
    assertEquals(new Admission.Refused(ViewerSessions.SHUTTING_DOWN), sessions.admit(Protocol.MSE, B, "u", "x", () -> { }));
  }

  @Test
  void usersAreTheTokensNameElseItsSubjectElseAnonymous() {
    assertEquals("alice", ViewerSessions.userOf(new Caller("sub-1", "alice", Set.of(), Instant.MAX)));
    assertEquals("sub-1", ViewerSessions.userOf(new Caller("sub-1", "", Set.of(), Instant.MAX)));
    assertEquals("anonymous", ViewerSessions.userOf(Caller.NOBODY_CHECKED));
    assertNotEquals("", ViewerSessions.userOf(new Caller("", "", Set.of(), Instant.MAX)));
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(1, 0));
  }
}
