package io.camflow.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcePathTest {

  private static final long MS = 1_000_000;
  private static final Duration CONSENT = Duration.ofSeconds(30);

  private static InetSocketAddress at(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  @Test
  void keepsAFewAddressesAndNeverForgetsTheMediaAddress() {
    IcePath path = new IcePath(0, 3);
    assertNull(path.validCheck(at(1), true, 1).forgotten(), "nominated: media goes here");
    assertNull(path.validCheck(at(2), false, 2).forgotten());
    assertNull(path.validCheck(at(3), false, 3).forgotten());
    assertEquals(
        at(2),
        path.validCheck(at(4), false, 4).forgotten(),
        "the oldest that is not the media address goes");
    assertNull(path.validCheck(at(3), false, 5).forgotten(), "a known address is only refreshed");
    assertEquals(at(4), path.validCheck(at(5), false, 6).forgotten());
    assertEquals(List.of(at(1), at(3), at(5)), path.addresses());
    assertEquals(at(1), path.target());
  }

  @Test
  void afterDtlsStartedANewAddressMustAnswerOurCheckBeforeMediaMoves() {
    IcePath path = new IcePath(0, 8);
    path.validCheck(at(1), true, 0);
    path.dtlsStarted(at(1));
    assertTrue(path.isMediaAddress(at(1)));

    IcePath.Checked first = path.validCheck(at(2), true, 10 * MS);
    assertNotNull(first.verify(), "a check from a new address asks for our own check there");
    assertEquals(at(1), path.target(), "media stays until that is answered");
    assertNull(
        path.validCheck(at(2), true, 50 * MS).verify(), "paced: one of ours per 100 ms at most");
    byte[] again = path.validCheck(at(2), true, 120 * MS).verify();
    assertArrayEquals(first.verify(), again, "a retransmission keeps its transaction id");
    assertTrue(
        path.consentExpired(CONSENT.toNanos() + 1, CONSENT),
        "checks from an unproven address give no consent");

    assertTrue(
        path.checkAnswered(at(2), 200 * MS), "answered: media moves, the peer had nominated it");
    assertEquals(at(2), path.target());
    assertNull(path.pendingCheck(at(2)));
    assertFalse(path.checkAnswered(at(2), 210 * MS), "an answer counts once");
    assertFalse(
        path.consentExpired(200 * MS + CONSENT.toNanos(), CONSENT),
        "our answered check renews consent");

    assertNull(
        path.validCheck(at(1), true, 300 * MS).verify(), "a proven address needs no new proof");
    assertEquals(at(1), path.target(), "and its nomination moves media back at once");
  }

  @Test
  void anOlderNominationDoesNotMoveMediaAfterANewerOne() {
    IcePath path = new IcePath(0, 8);
    path.validCheck(at(2), true, 0); // nominated before DTLS, then the browser settled on 1
    path.validCheck(at(1), true, 1);
    path.dtlsStarted(at(1));
    byte[] verify = path.validCheck(at(2), false, 2).verify();
    assertNotNull(verify);
    assertFalse(path.checkAnswered(at(2), 3), "proven, but not nominated since media went to 1");
    assertEquals(at(1), path.target());
    path.validCheck(at(2), true, 4);
    assertEquals(at(2), path.target(), "a fresh nomination of a proven address moves media");
  }

  @Test
  void answersOnlyCountFromWhereTheCheckWent() {
    IcePath path = new IcePath(0, 8);
    path.dtlsStarted(at(1));
    path.validCheck(at(2), true, 0);
    assertFalse(path.checkAnswered(at(3), 1), "an answer from elsewhere proves nothing");
    assertNull(path.pendingCheck(at(3)));
    assertEquals(at(1), path.target());
  }
}
