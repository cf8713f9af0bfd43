package io.camflow.ingest.source;

/** The camera ended the stream (TEARDOWN, closed socket, EOF). */
public final class EndOfStreamException extends SourceException {
  public EndOfStreamException(String message) {
    super(message);
  }

  @Override
  public String reason() {
    return "end-of-stream";
  }
}
