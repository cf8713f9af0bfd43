package io.camflow.delivery.http;

import io.camflow.delivery.hls.Reply;
import java.util.function.Consumer;

/** Answers a GET the hot path serves ({@link LiveRequests}; a stand-in in tests). */
@FunctionalInterface
public interface Getter {

  /**
   * @param uri the raw request URI (path and query)
   * @param client the client's address
   * @param answer called once, now or later; a {@code StreamingReply} may be streamed to instead
   */
  void get(String uri, String client, Consumer<Reply> answer);
}
