package io.camflow.ingest.source;

import java.util.List;

/**
 * One connection to one camera stream. {@link #open()} and {@link #read()} run on one thread;
 * {@link #interrupt()} may be called from any thread and makes a blocked call fail with {@link
 * SourceClosedException} promptly.
 */
public interface MediaSource extends AutoCloseable {

  /** Connects and returns the tracks camflow passes on (unsupported tracks are left out). */
  List<Track> open() throws SourceException;

  /** Blocks until the next packet of a returned track. */
  SourcePacket read() throws SourceException;

  /** Wakes a blocked open or read; the source can only be closed afterwards. */
  void interrupt();

  /** Releases the connection and native memory. Idempotent. */
  @Override
  void close();
}
