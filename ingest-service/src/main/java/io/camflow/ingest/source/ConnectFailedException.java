package io.camflow.ingest.source;

/**
 * The camera could not be reached or refused the session (network error, 404, 5xx, bad RTSP reply).
 */
public final class ConnectFailedException extends SourceException {
  public ConnectFailedException(String message) {
    super(message);
  }

  @Override
  public String reason() {
    return "connect-failed";
  }
}
