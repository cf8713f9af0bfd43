package io.camflow.ingest.source.tls;

import java.io.IOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLException;

/**
 * Turns the JDK's handshake exceptions into a sentence an operator can act on. Certificate problems
 * become {@link CertificateRefusedException}; anything else stays a plain handshake failure.
 */
final class HandshakeFailures {

  static final String UNTRUSTED =
      "not issued by a trusted CA (a self-signed camera? add its CA with tlsCaFile, "
          + "pin its certificate with tlsFingerprint, or opt out with tlsVerify: false)";

  private HandshakeFailures() {}

  static IOException explain(SSLException e, String host) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CameraTrust.PinMismatchException pin) {
        return new CertificateRefusedException(pin.getMessage(), e);
      }
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException
          || t instanceof CertPathValidatorException v
              && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
        return new CertificateRefusedException("certificate expired or not yet valid", e);
      }
      if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
        return new CertificateRefusedException(UNTRUSTED, e);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException c) {
        String m = String.valueOf(c.getMessage());
        if (m.contains("No subject alternative") || m.contains("No name matching")) {
          return new CertificateRefusedException(
              "certificate not issued for "
                  + host
                  + " (the URL's host must be one of the certificate's names)",
              e);
        }
        return new CertificateRefusedException("certificate refused: " + m, e);
      }
    }
    return new IOException("TLS handshake failed: " + e.getMessage(), e);
  }
}
