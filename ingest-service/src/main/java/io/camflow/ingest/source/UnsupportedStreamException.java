package io.camflow.ingest.source;

/** The stream opened but carries nothing camflow can pass on (no H.264/H.265 video track). */
public final class UnsupportedStreamException extends SourceException {
  public UnsupportedStreamException(String message) {
    super(message);
  }

  @Override
  public String reason() {
    return "unsupported";
  }
}
