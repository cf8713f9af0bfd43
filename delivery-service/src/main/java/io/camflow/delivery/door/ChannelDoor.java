package io.camflow.delivery.door;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Consumer;

/**
 * A door that takes the connection itself instead of answering with a {@link Reply}: MSE's
 * WebSocket upgrade (the connection becomes the viewer's) and the realm's pages (Keycloak's answers
 * passed through as they are). Called on the connection's event loop, the request released by the
 * caller.
 */
@FunctionalInterface
public interface ChannelDoor {

  /**
   * @param request the request; whole (a {@code FullHttpRequest}) on the routes that take the body
   * @param refusal writes a plain HTTP answer and closes the connection (a refused upgrade)
   */
  void take(ChannelHandlerContext ctx, HttpRequest request, Consumer<Reply> refusal);
}
