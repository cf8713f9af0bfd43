package io.camflow.delivery.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.Caller;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenLeaseTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(30);

  static Caller caller(String sub, String name, Instant exp) {
    return new Caller(sub, name, Set.of("camera:cam:live"), exp);
  }

  @Test
  void endsAtTheTokensExpiryPlusTheGrace() {
    TokenLease lease = new TokenLease(caller("s1", "alice", T0.plusSeconds(300)), GRACE);
    assertEquals(T0.plusSeconds(330), lease.deadline());
    assertFalse(lease.expired(T0.plusSeconds(329)));
    assertTrue(lease.expired(T0.plusSeconds(330)));
  }

  @Test
  void aFreshTokenOfTheSameUserMovesTheDeadline() {
    TokenLease lease = new TokenLease(caller("s1", "alice", T0.plusSeconds(300)), GRACE);
    assertTrue(lease.renew(caller("s1", "alice", T0.plusSeconds(600))));
    assertEquals(T0.plusSeconds(630), lease.deadline());
    assertTrue(
        lease.renew(caller("s1", "alice", T0.plusSeconds(400))),
        "an older token of the same user is no reason to end");
    assertEquals(T0.plusSeconds(630), lease.deadline(), "but does not shorten the session");
  }

  @Test
  void aTokenOfAnotherUserDoesNotRenew() {
    TokenLease lease = new TokenLease(caller("s1", "alice", T0.plusSeconds(300)), GRACE);
    assertFalse(
        lease.renew(caller("s2", "alice", T0.plusSeconds(600))),
        "another sub, even with the same name");
    assertFalse(
        lease.renew(caller("", "alice", T0.plusSeconds(600))),
        "no sub where the session's token had one");
    assertEquals(T0.plusSeconds(330), lease.deadline());
    TokenLease nameless = new TokenLease(caller("", "bob", T0.plusSeconds(300)), GRACE);
    assertTrue(
        nameless.renew(caller("", "bob", T0.plusSeconds(600))), "without sub: the same user name");
    assertFalse(nameless.renew(caller("", "carol", T0.plusSeconds(900))));
    assertFalse(
        new TokenLease(caller("", "", T0), GRACE).renew(caller("", "", T0.plusSeconds(60))),
        "a token naming nobody renews nothing");
  }

  @Test
  void settingsFromTheEnvironment() {
    assertEquals(
        TokenLeaseSettings.defaults(),
        TokenLeaseSettings.from(io.camflow.options.Settings.fromEnvironment(Map.of())));
    assertEquals(Duration.ofSeconds(30), TokenLeaseSettings.defaults().grace());
    TokenLeaseSettings s =
        TokenLeaseSettings.from(
            io.camflow.options.Settings.fromEnvironment(
                Map.of("CAMFLOW_SESSION_TOKEN_GRACE_S", "5", "CAMFLOW_ACCESS_RECHECK_S", "0")));
    assertEquals(Duration.ofSeconds(5), s.grace());
    assertFalse(s.rechecks());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TokenLeaseSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_SESSION_TOKEN_GRACE_S", "-1"))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TokenLeaseSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_SESSION_TOKEN_GRACE_S", "601"))));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TokenLeaseSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_ACCESS_RECHECK_S", "soon"))));
    assertTrue(e.getMessage().contains("CAMFLOW_ACCESS_RECHECK_S"), e.getMessage());
  }
}
