package io.camflow.webrtc.ice;

import io.camflow.webrtc.stun.StunAttribute;
import io.camflow.webrtc.stun.StunEncoder;
import io.camflow.webrtc.stun.StunIntegrity;
import io.camflow.webrtc.stun.StunMessage;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The one check an ICE-lite camflow sends: to a peer address it has not verified yet, when a valid
 * check arrives from there (a triggered check, RFC 8445 §7.3.1.4). A full agent answers it only if
 * it really receives at that address, so the answer proves return routability before media goes
 * there (RFC 8445 §7.2.5.2.1, RFC 7675 §5.1). The transaction id is random and never leaves the
 * path it was sent on: whoever merely forges checks "from" an address cannot answer for it.
 *
 * <p>Keyed as RFC 8445 §7.2.2 says for a controlled agent: USERNAME {@code <remote ufrag>:<local
 * ufrag>}, PRIORITY, ICE-CONTROLLED with a tie-breaker, MESSAGE-INTEGRITY with the peer's ice-pwd
 * (from the offer), FINGERPRINT. Its answer must carry the same transaction id and integrity with
 * that password.
 */
public final class TriggeredCheck {

  /**
   * A peer-reflexive candidate's priority (type preference 110, RFC 8445 §5.1.2.1), component 1.
   */
  static final long PRIORITY = (110L << 24) + (65535L << 8) + 255;

  private static final SecureRandom RANDOM = new SecureRandom();

  private TriggeredCheck() {}

  /** A fresh, unguessable transaction id. */
  public static byte[] newTransactionId() {
    byte[] id = new byte[12];
    RANDOM.nextBytes(id);
    return id;
  }

  /** The Binding request to send. */
  public static byte[] request(
      byte[] transactionId,
      String localUfrag,
      String remoteUfrag,
      String remotePwd,
      long tieBreaker) {
    byte[] priority = {
      (byte) (PRIORITY >> 24), (byte) (PRIORITY >> 16), (byte) (PRIORITY >> 8), (byte) PRIORITY
    };
    byte[] tie = new byte[8];
    for (int i = 0; i < 8; i++) {
      tie[i] = (byte) (tieBreaker >>> (56 - 8 * i));
    }
    return new StunEncoder(StunMessage.BINDING_REQUEST, transactionId)
        .add(StunAttribute.USERNAME, remoteUfrag + ":" + localUfrag)
        .add(StunAttribute.PRIORITY, priority)
        .add(StunAttribute.ICE_CONTROLLED, tie)
        .addIntegrity(StunIntegrity.shortTermKey(remotePwd))
        .addFingerprint()
        .toBytes();
  }

  /**
   * Whether {@code response} is a success answer to the check with {@code transactionId}, keyed
   * with the peer's ice-pwd.
   */
  public static boolean answers(StunMessage response, byte[] transactionId, String remotePwd) {
    return response.type() == StunMessage.BINDING_SUCCESS
        && MessageDigest.isEqual(response.transactionId(), transactionId)
        && (response.fingerprintOffset() < 0 || StunIntegrity.hasValidFingerprint(response))
        && StunIntegrity.hasValidIntegrity(response, StunIntegrity.shortTermKey(remotePwd));
  }
}
