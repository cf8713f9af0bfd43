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
    return ((Admission.Admitted) sessions.admit(p, k, "u", "10.0.0.1", () -> {})).session();
  }

  @Test
  void limitsCountEveryProtocolTogether() {
    ViewerSession hls = admit(Protocol.HLS, A);
    admit(Protocol.MSE, A);
    Admission third = sessions.admit(Protocol.MSE, A, "u", "10.0.0.2", () -> {});
    assertEquals(
        new Admission.Refused("viewer limit of the stream reached"),
        third,
        "an HLS and an MSE viewer fill A");
    admit(Protocol.HLS, B);
    assertEquals(
        new Admission.Refused("viewer limit reached"),
        sessions.admit(Protocol.MSE, B, "u", "x", () -> {}),
        "3 in total");
    hls.end();
    hls.end(); // idempotent: gives back one place, not two
    assertEquals(2, sessions.count());
    assertInstanceOf(Admission.Admitted.class, sessions.admit(Protocol.MSE, A, "u", "x", () -> {}));
    assertEquals(
        new Admission.Refused("viewer limit reached"),
        sessions.admit(Protocol.MSE, A, "u", "x", () -> {}));
  }

  @Test
  void aPublisherIsListedAndDisconnectedButIsNoViewer() {
    AtomicInteger kicked = new AtomicInteger();
    ViewerSession publisher =
        ((Admission.Admitted)
                sessions.admitPublisher(
                    Protocol.RTSP, A, "encoder", "10.0.0.9", kicked::incrementAndGet))
            .session();
    assertTrue(publisher.publishing());
    admit(Protocol.HLS, A);
    admit(Protocol.MSE, A);
    admit(Protocol.HLS, B);
    assertEquals(3, sessions.count(), "three viewers: the limits count no publisher");
    assertEquals(4, sessions.list().size(), "all four listed");
    assertEquals(0, sessions.count(Protocol.RTSP), "no RTSP viewer");
    assertEquals(2, sessions.count(A));
    assertEquals(0, sessions.byProtocol(A).get("rtsp"));
    assertTrue(sessions.disconnect(publisher.id()));
    assertEquals(1, kicked.get());
    publisher.end();
    publisher.end();
    assertEquals(3, sessions.list().size());
    assertEquals(3, sessions.count());
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
    assertEquals(
        Map.of("hls", 1, "mse", 1, "webrtc", 0, "mjpeg", 0, "frames", 0, "rtsp", 0),
        sessions.byProtocol(A));
    b.end();
    assertEquals(1, sessions.streams());
    assertEquals(
        Map.of("hls", 0, "mse", 0, "webrtc", 0, "mjpeg", 0, "frames", 0, "rtsp", 0),
        sessions.byProtocol(B),
        "every protocol named");
  }

  @Test
  void disconnectRunsTheProtocolsCallbackAndUnknownIdsAreFalse() {
    AtomicInteger called = new AtomicInteger();
    ViewerSession[] s = new ViewerSession[1];
    s[0] =
        ((Admission.Admitted)
                sessions.admit(
                    Protocol.MSE,
                    A,
                    "u",
                    "x",
                    () -> {
                      called.incrementAndGet();
                      s[0].end();
                    }))
            .session();
    assertTrue(sessions.find(s[0].id()).isPresent());
    assertTrue(sessions.disconnect(s[0].id()));
    assertEquals(1, called.get());
    assertTrue(sessions.find(s[0].id()).isEmpty());
    assertFalse(sessions.disconnect(s[0].id()));
    assertFalse(sessions.disconnect("nope"));
  }

  @Test
  void idsAreRandomAndBytesAccumulate() {
    ViewerSessions big = new ViewerSessions(new ViewerLimits(1000, 1000).withShares(0, 0));
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      ViewerSession s =
          ((Admission.Admitted) big.admit(Protocol.HLS, A, "u", "x", () -> {})).session();
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
    assertEquals(
        new Admission.Refused(ViewerSessions.SHUTTING_DOWN),
        sessions.admit(Protocol.MSE, B, "u", "x", () -> {}));
  }

  @Test
  void usersAreTheTokensNameElseItsSubjectElseAnonymous() {
    assertEquals(
        "alice", ViewerSessions.userOf(new Caller("sub-1", "alice", Set.of(), Instant.MAX)));
    assertEquals("sub-1", ViewerSessions.userOf(new Caller("sub-1", "", Set.of(), Instant.MAX)));
    assertEquals("anonymous", ViewerSessions.userOf(Caller.NOBODY_CHECKED));
    assertNotEquals("", ViewerSessions.userOf(new Caller("", "", Set.of(), Instant.MAX)));
  }

  @Test
  void oneUserTakesNoMoreThanItsShareAndOthersStillGetIn() {
    ViewerSessions shared = new ViewerSessions(new ViewerLimits(10, 10).withShares(2, 0));
    assertInstanceOf(
        Admission.Admitted.class, shared.admit(Protocol.HLS, A, "alice", "10.0.0.1", () -> {}));
    ViewerSession second =
        ((Admission.Admitted) shared.admit(Protocol.MSE, B, "alice", "10.0.0.2", () -> {}))
            .session();
    assertEquals(
        new Admission.Refused("viewer limit of the user reached"),
        shared.admit(Protocol.WEBRTC, A, "alice", "10.0.0.3", () -> {}),
        "every protocol, stream and address counts");
    assertInstanceOf(
        Admission.Admitted.class,
        shared.admit(Protocol.WEBRTC, A, "bob", "10.0.0.1", () -> {}),
        "another user still gets in, from the same address too");
    second.end();
    assertInstanceOf(
        Admission.Admitted.class,
        shared.admit(Protocol.WEBRTC, A, "alice", "10.0.0.3", () -> {}),
        "a place given back is the user's again");
  }

  @Test
  void usersWithoutANameShareNothingButTheirAddress() {
    ViewerSessions shared = new ViewerSessions(new ViewerLimits(10, 10).withShares(1, 0));
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(
          Admission.Admitted.class,
          shared.admit(Protocol.MSE, A, ViewerSessions.ANONYMOUS, "10.0.0.1", () -> {}),
          "auth off: everyone is anonymous");
      assertInstanceOf(
          Admission.Admitted.class,
          shared.admit(
              Protocol.HLS, A, ViewerSessions.STREAM_TOKEN_USER, "10.0.0." + (i + 2), () -> {}),
          "a stream token names nobody");
    }
  }

  @Test
  void oneAddressTakesNoMoreThanItsShareAndOtherAddressesStillGetIn() {
    ViewerSessions shared = new ViewerSessions(new ViewerLimits(20, 20).withShares(0, 3));
    for (String user : List.of("alice", "bob", "carol")) {
      assertInstanceOf(
          Admission.Admitted.class, shared.admit(Protocol.HLS, A, user, "203.0.113.7", () -> {}));
    }
    assertEquals(
        new Admission.Refused("viewer limit of the address reached"),
        shared.admit(Protocol.MSE, B, "dave", "203.0.113.7", () -> {}));
    assertInstanceOf(
        Admission.Admitted.class, shared.admit(Protocol.MSE, B, "dave", "203.0.113.8", () -> {}));
    // IPv6: a household's /64 is one address, whichever of its addresses a device uses
    for (int i = 1; i <= 3; i++) {
      assertInstanceOf(
          Admission.Admitted.class,
          shared.admit(Protocol.MSE, A, "erin", "2001:db8:1:2:0:0:0:" + i, () -> {}));
    }
    assertEquals(
        new Admission.Refused("viewer limit of the address reached"),
        shared.admit(Protocol.MSE, A, "erin", "2001:db8:1:2:aaaa:0:0:1", () -> {}));
    assertInstanceOf(
        Admission.Admitted.class,
        shared.admit(Protocol.MSE, A, "erin", "2001:db8:1:3:0:0:0:1", () -> {}));
    // this machine (a reverse proxy on it) has no share
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(
          Admission.Admitted.class, shared.admit(Protocol.HLS, B, "u" + i, "127.0.0.1", () -> {}));
    }
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(1, 1).withShares(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ViewerLimits(1, 1).withHeld(0, 0));
  }

  @Test
  void limitsComeFromTheEnvironmentWithDefaults() {
    assertEquals(
        ViewerLimits.defaults(),
        ViewerLimits.from(io.camflow.options.Settings.fromEnvironment(Map.of())));
    assertEquals(new ViewerLimits(1000, 200, 50, 100, 4000, 400), ViewerLimits.defaults());
    assertEquals(
        new ViewerLimits(5, 4, 3, 0, 20, 10),
        ViewerLimits.from(
            io.camflow.options.Settings.fromEnvironment(
                Map.of(
                    "CAMFLOW_MAX_VIEWERS",
                    "5",
                    "CAMFLOW_MAX_VIEWERS_PER_STREAM",
                    "4",
                    "CAMFLOW_MAX_VIEWERS_PER_USER",
                    "3",
                    "CAMFLOW_MAX_VIEWERS_PER_ADDRESS",
                    "0",
                    "CAMFLOW_MAX_HELD_REQUESTS",
                    "20",
                    "CAMFLOW_MAX_HELD_REQUESTS_PER_ADDRESS",
                    " 10 "))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ViewerLimits.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_MAX_VIEWERS_PER_USER", "many"))));
    assertTrue(e.getMessage().contains("CAMFLOW_MAX_VIEWERS_PER_USER"), e.getMessage());
  }
}
