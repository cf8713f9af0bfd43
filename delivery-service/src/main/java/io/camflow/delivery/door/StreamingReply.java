package io.camflow.delivery.door;

import java.util.function.Consumer;

/**
 * A reply sink that can also stream: given to {@link HlsResponder#respond}, the preload-hinted part
 * is answered at once and written chunk by chunk as the window receives it, instead of held and
 * sent whole; a recording's clip is sent with its length known, piece by piece. Either {@link
 * #accept} or one of the {@code stream} methods is called, once.
 */
public interface StreamingReply extends Consumer<Reply> {

  /**
   * Starts a 200 response of {@code contentType} and {@code cacheControl} whose length is unknown.
   */
  PartStream stream(String contentType, String cacheControl);

  /**
   * Starts a response with the status, type, cache control and headers of {@code head} (its body is
   * ignored) and a body of {@code length} bytes, to be written to the stream returned.
   *
   * @throws UnsupportedOperationException from a sink that streams parts only
   */
  default BodyStream stream(Reply head, long length) {
    throw new UnsupportedOperationException("this answer streams parts only");
  }

  /**
   * Starts a 200 response of {@code contentType} and {@code cacheControl} that goes on until the
   * sender ends it or the client leaves (chunked; over HTTP/1.0 until the connection closes).
   *
   * @throws UnsupportedOperationException from a sink that streams parts only
   */
  default BodyStream open(String contentType, String cacheControl) {
    throw new UnsupportedOperationException("this answer streams parts only");
  }
}
