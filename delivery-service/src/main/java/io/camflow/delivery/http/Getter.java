package io.camflow.delivery.http;

import io.camflow.delivery.hls.Reply;
import java.util.function.Consumer;

/** Answers the GET requests delivery serves on its hot path. */
@FunctionalInterface
public interface Getter {

  /**
   * @param request the request
   * @param answer called once, now or later; a {@code StreamingReply} may be streamed to instead
   */
  void get(Request request, Consumer<Reply> answer);
}
