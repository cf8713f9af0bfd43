package io.camflow.ingest.source;

/**
 * An {@code rtsps://} camera's certificate failed the check (untrusted issuer, another host name,
 * expired, not the pinned one). Retried with the normal backoff (a camera may get its certificate
 * fixed); reported as tls-failed, with the reason and without credentials.
 */
public final class TlsFailedException extends SourceException {
  public TlsFailedException(String message) {
    super(message);
  }

  @Override
  public String reason() {
    return "tls-failed";
  }
}
