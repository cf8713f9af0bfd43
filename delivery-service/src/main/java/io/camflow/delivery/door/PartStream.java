package io.camflow.delivery.door;

import java.util.List;

/**
 * The body of a 200 response already started, written as the part grows (the preload-hinted part
 * streamed with chunked transfer encoding). Calls come in order, from one thread at a time.
 */
public interface PartStream {

  /** Sends these chunks (the window's shared arrays, not copied). */
  void write(List<byte[]> chunks);

  /** The part is complete: ends the response. */
  void end();

  /** The part will not be complete (the segment ended without it, timeout, stream stopping). */
  void abort();
}
