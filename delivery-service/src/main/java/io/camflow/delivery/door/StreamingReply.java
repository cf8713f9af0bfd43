package io.camflow.delivery.door;

import java.util.function.Consumer;

/**
 * A reply sink that can also stream: given to {@link HlsResponder#respond}, the preload-hinted part
 * is answered at once and written chunk by chunk as the window receives it, instead of held and
 * sent whole. Either {@link #accept} or {@link #stream} is called, once.
 */
public interface StreamingReply extends Consumer<Reply> {

  /**
   * Starts a 200 response of {@code contentType} and {@code cacheControl} whose length is unknown.
   */
  PartStream stream(String contentType, String cacheControl);
}
