package io.camflow.webrtc.ice;

import io.camflow.webrtc.stun.StunAttribute;
import io.camflow.webrtc.stun.StunEncoder;
import io.camflow.webrtc.stun.StunIntegrity;
import io.camflow.webrtc.stun.StunMessage;
import io.camflow.webrtc.stun.XorMappedAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The ICE-lite side of connectivity checks (RFC 8445 §7.3, §2.5): answers a Binding request only
 * when its USERNAME names a known session ({@code <local ufrag>:<remote ufrag>}) and its
 * MESSAGE-INTEGRITY verifies with that session's local ice-pwd (and its FINGERPRINT, when present,
 * is right). Everything else is dropped without an answer — also a bad integrity, where RFC 5389
 * would allow a 401: an unauthenticated error only helps someone probing for ufrags and turns the
 * port into a reflector, while a browser simply retransmits a check that got no answer.
 *
 * <p>Stateless and thread-safe; the caller applies the outcome (nomination, consent) to the
 * session.
 */
public final class BindingResponder {

  /** Finds the local credentials of the session with this local ufrag, or null. */
  @FunctionalInterface
  public interface CredentialLookup {
    Session find(String localUfrag);
  }

  /** What the responder needs to know of a session. */
  public interface Session {
    IceCredentials localCredentials();

    String remoteUfrag();
  }

  /**
   * A check that passed: the answer to send back to {@code from}, and whether it nominated.
   *
   * @param session the session it belongs to
   * @param from where the check came from (the peer's address on this path)
   * @param useCandidate whether it carried USE-CANDIDATE (nomination)
   * @param response the Binding success response to send to {@code from}
   */
  public record ValidCheck(
      Session session, InetSocketAddress from, boolean useCandidate, byte[] response) {}

  /** Why a request got no answer (for counters; never contains credentials). */
  public enum Rejection {
    NOT_A_BINDING_REQUEST,
    NO_USERNAME,
    UNKNOWN_UFRAG,
    WRONG_REMOTE_UFRAG,
    BAD_INTEGRITY,
    BAD_FINGERPRINT
  }

  /** Either a valid check or the reason for silence. */
  public record Outcome(Optional<ValidCheck> check, Rejection rejection) {
    static Outcome rejected(Rejection why) {
      return new Outcome(Optional.empty(), why);
    }
  }

  private final CredentialLookup sessions;

  public BindingResponder(CredentialLookup sessions) {
    this.sessions = sessions;
  }

  public Outcome handle(StunMessage request, InetSocketAddress from) {
    if (request.type() != StunMessage.BINDING_REQUEST) {
      return Outcome.rejected(
          Rejection.NOT_A_BINDING_REQUEST); // indications (keepalives) and responses need nothing
    }
    Optional<StunAttribute> username = request.attribute(StunAttribute.USERNAME);
    if (username.isEmpty()) {
      return Outcome.rejected(Rejection.NO_USERNAME);
    }
    String user = username.get().text();
    int colon = user.indexOf(':');
    if (colon <= 0) {
      return Outcome.rejected(Rejection.NO_USERNAME);
    }
    Session session = sessions.find(user.substring(0, colon));
    if (session == null) {
      return Outcome.rejected(Rejection.UNKNOWN_UFRAG);
    }
    if (request.fingerprintOffset() >= 0 && !StunIntegrity.hasValidFingerprint(request)) {
      return Outcome.rejected(Rejection.BAD_FINGERPRINT);
    }
    byte[] key = StunIntegrity.shortTermKey(session.localCredentials().pwd());
    if (!StunIntegrity.hasValidIntegrity(request, key)) {
      return Outcome.rejected(Rejection.BAD_INTEGRITY);
    }
    // checked after the integrity so that a wrong remote ufrag cannot be told from a wrong password
    if (!user.substring(colon + 1).equals(session.remoteUfrag())) {
      return Outcome.rejected(Rejection.WRONG_REMOTE_UFRAG);
    }
    byte[] response =
        new StunEncoder(StunMessage.BINDING_SUCCESS, request.transactionId())
            .add(
                StunAttribute.XOR_MAPPED_ADDRESS,
                XorMappedAddress.encode(from, request.transactionId()))
            .addIntegrity(key)
            .addFingerprint()
            .toBytes();
    boolean useCandidate = request.has(StunAttribute.USE_CANDIDATE);
    return new Outcome(Optional.of(new ValidCheck(session, from, useCandidate, response)), null);
  }
}
