package io.camflow.ingest.source;

/**
 * The camera answered 401/403: wrong or missing credentials. Retried slowly, reported as
 * auth-failed.
 */
public final class AuthFailedException extends SourceException {
  public AuthFailedException(String message) {
    super(message);
  }

  @Override
  public String reason() {
    return "auth-failed";
  }
}
