package io.camflow.webrtc.stun;

/**
 * A datagram that is not a well-formed STUN message (RFC 5389 §6, §15). The only exception the
 * decoder throws.
 */
public final class StunParseException extends Exception {

  public StunParseException(String message) {
    super(message, null, false, false); // junk arrives by the thousand: no stack traces
  }
}
