package io.camflow.delivery.door;

import java.util.function.Consumer;

/**
 * Answers the requests the router sends it: one {@link Reply} per request, now or later (a held
 * playlist reload, a token check, a Keycloak call). Registered with the router for its routes by
 * DeliveryService; the router and the reply writer (http/) know doors only by this type.
 */
@FunctionalInterface
public interface Door {

  /**
   * @param request the request, its body read in full for the routes that take one
   * @param answer called once, now or later; a {@link StreamingReply} may be streamed to instead
   */
  void handle(Request request, Consumer<Reply> answer);
}
