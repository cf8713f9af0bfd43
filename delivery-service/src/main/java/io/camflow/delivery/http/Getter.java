package io.camflow.delivery.http;

import io.camflow.delivery.auth.TrustedProxies;
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

  /** The proxies whose forwarding headers name the client of this getter's requests ({@link Request#of}). */
  default TrustedProxies trustedProxies() {
    return TrustedProxies.NONE;
  }
}
