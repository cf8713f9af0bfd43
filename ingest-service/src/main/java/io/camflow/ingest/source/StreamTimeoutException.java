package io.camflow.ingest.source;

/** No packet arrived within the read timeout, or the connection did not open within it. */
public final class StreamTimeoutException extends SourceException {
  public StreamTimeoutException(String message) {
    super(message);
  }

  @Override
  public String reason() {
    return "timeout";
  }
}
