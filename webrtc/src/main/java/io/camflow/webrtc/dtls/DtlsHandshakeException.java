package io.camflow.webrtc.dtls;

/**
 * The DTLS-SRTP handshake did not complete; the message says why in words a viewer's log can show.
 */
public final class DtlsHandshakeException extends Exception {

  public DtlsHandshakeException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
