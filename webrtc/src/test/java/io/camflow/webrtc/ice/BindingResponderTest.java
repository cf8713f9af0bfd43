package io.camflow.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.webrtc.stun.StunAttribute;
import io.camflow.webrtc.stun.StunDecoder;
import io.camflow.webrtc.stun.StunEncoder;
import io.camflow.webrtc.stun.StunIntegrity;
import io.camflow.webrtc.stun.StunMessage;
import io.camflow.webrtc.stun.XorMappedAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BindingResponderTest {

  private static final IceCredentials LOCAL = IceCredentials.generate();
  private static final String REMOTE_UFRAG = "remote";
  private final BindingResponder.Session session =
      new BindingResponder.Session() {
        @Override
        public IceCredentials localCredentials() {
          return LOCAL;
        }

        @Override
        public String remoteUfrag() {
          return REMOTE_UFRAG;
        }
      };
  private final BindingResponder responder =
      new BindingResponder(u -> u.equals(LOCAL.ufrag()) ? session : null);
  private final InetSocketAddress from =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

  private StunMessage request(
      String username, String pwd, boolean useCandidate, boolean fingerprint) throws Exception {
    StunEncoder e =
        new StunEncoder(StunMessage.BINDING_REQUEST, new byte[12])
            .add(StunAttribute.USERNAME, username);
    if (useCandidate) {
      e.add(StunAttribute.USE_CANDIDATE, new byte[0]);
    }
    e.addIntegrity(StunIntegrity.shortTermKey(pwd));
    if (fingerprint) {
      e.addFingerprint();
    }
    return StunDecoder.decode(e.toBytes());
  }

  @Test
  void answersAValidCheckWithTheSourceAddress() throws Exception {
    BindingResponder.Outcome o =
        responder.handle(
            request(LOCAL.ufrag() + ":" + REMOTE_UFRAG, LOCAL.pwd(), true, true), from);
    BindingResponder.ValidCheck check = o.check().orElseThrow();
    assertTrue(check.useCandidate());
    StunMessage response = StunDecoder.decode(check.response());
    assertEquals(StunMessage.BINDING_SUCCESS, response.type());
    assertEquals(
        from,
        XorMappedAddress.decode(
            response.attribute(StunAttribute.XOR_MAPPED_ADDRESS).orElseThrow().value(),
            response.transactionId()));
    assertTrue(StunIntegrity.hasValidIntegrity(response, StunIntegrity.shortTermKey(LOCAL.pwd())));
    assertTrue(StunIntegrity.hasValidFingerprint(response));
    assertFalse(
        responder
            .handle(request(LOCAL.ufrag() + ":" + REMOTE_UFRAG, LOCAL.pwd(), false, false), from)
            .check()
            .orElseThrow()
            .useCandidate(),
        "FINGERPRINT is optional, USE-CANDIDATE too");
  }

  @Test
  void staysSilentOnEverythingElse() throws Exception {
    assertEquals(
        BindingResponder.Rejection.BAD_INTEGRITY,
        responder
            .handle(request(LOCAL.ufrag() + ":" + REMOTE_UFRAG, "x".repeat(22), true, true), from)
            .rejection());
    assertEquals(
        BindingResponder.Rejection.UNKNOWN_UFRAG,
        responder
            .handle(request("nobody:" + REMOTE_UFRAG, LOCAL.pwd(), true, true), from)
            .rejection());
    assertEquals(
        BindingResponder.Rejection.WRONG_REMOTE_UFRAG,
        responder
            .handle(request(LOCAL.ufrag() + ":other", LOCAL.pwd(), true, true), from)
            .rejection());
    assertEquals(
        BindingResponder.Rejection.NO_USERNAME,
        responder.handle(request(LOCAL.ufrag(), LOCAL.pwd(), true, true), from).rejection());
    byte[] indication =
        new StunEncoder(StunMessage.BINDING_INDICATION, new byte[12]).addFingerprint().toBytes();
    assertEquals(
        BindingResponder.Rejection.NOT_A_BINDING_REQUEST,
        responder.handle(StunDecoder.decode(indication), from).rejection());
    byte[] badFingerprint =
        new StunEncoder(StunMessage.BINDING_REQUEST, new byte[12])
            .add(StunAttribute.USERNAME, LOCAL.ufrag() + ":" + REMOTE_UFRAG)
            .addIntegrity(StunIntegrity.shortTermKey(LOCAL.pwd()))
            .addFingerprint()
            .toBytes();
    badFingerprint[badFingerprint.length - 1] ^= 1;
    assertEquals(
        BindingResponder.Rejection.BAD_FINGERPRINT,
        responder.handle(StunDecoder.decode(badFingerprint), from).rejection());
  }

  @Test
  void pathFollowsTheLatestNominationAndExpiresWithoutChecks() {
    IcePath path = new IcePath(0, 8);
    InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1000);
    InetSocketAddress b = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2000);
    path.validCheck(a, false, 10);
    assertEquals(a, path.target(), "before nomination: the latest checked address");
    path.validCheck(b, true, 20);
    path.validCheck(a, false, 30);
    assertEquals(b, path.target(), "a nominated address wins over later plain checks");
    path.validCheck(a, true, 40);
    assertEquals(a, path.target(), "the latest nomination wins");
    Duration timeout = Duration.ofSeconds(30);
    assertFalse(path.consentExpired(40 + timeout.toNanos(), timeout));
    assertTrue(path.consentExpired(41 + timeout.toNanos(), timeout));
  }

  @Test
  void generatedCredentialsAreValidIceStrings() {
    IceCredentials c = IceCredentials.generate();
    assertTrue(IceCredentials.isIceString(c.ufrag(), 4));
    assertTrue(IceCredentials.isIceString(c.pwd(), 22));
    assertFalse(c.toString().contains(c.pwd()), "the password never shows in logs");
    assertFalse(IceCredentials.isIceString("ab:cd", 4), "':' is no ice-char");
  }
}
