package io.camflow.ingest.source;

/**
 * Why a source stopped delivering media. Every subclass is a distinct failure the ingest loop
 * branches on by type (retry fast, retry slowly, stop); messages never contain credentials.
 */
public abstract sealed class SourceException extends Exception
    permits ConnectFailedException,
        AuthFailedException,
        StreamTimeoutException,
        EndOfStreamException,
        UnsupportedStreamException,
        SourceClosedException,
        TlsFailedException {

  protected SourceException(String message) {
    super(message);
  }

  /** Short machine-readable reason, published in status as part of the last error. */
  public abstract String reason();
}
