package io.camflow.ingest.source;

/**
 * The source was closed or interrupted from our side (route stopping, demand gone). Not a failure.
 */
public final class SourceClosedException extends SourceException {
  public SourceClosedException() {
    super("source closed");
  }

  @Override
  public String reason() {
    return "closed";
  }
}
