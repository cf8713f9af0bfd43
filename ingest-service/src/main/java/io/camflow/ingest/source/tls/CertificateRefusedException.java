package io.camflow.ingest.source.tls;

import java.io.IOException;

/**
 * The camera's TLS certificate did not pass the stream's {@link CameraTls} check; the message says
 * why.
 */
public final class CertificateRefusedException extends IOException {
  public CertificateRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
