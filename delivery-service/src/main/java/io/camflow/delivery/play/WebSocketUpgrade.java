package io.camflow.delivery.play;

import io.camflow.delivery.door.Request;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.function.Supplier;

/**
 * The WebSocket handshake of a door that decided to take the upgrade (MSE, frames): the viewer's
 * handler takes the place of the HTTP hot-path handler, the handshake answer goes out, and the
 * viewer is told once it has ({@code opened}) — or the connection closes.
 */
final class WebSocketUpgrade {

  private WebSocketUpgrade() {}

  /**
   * @param maxClientFrame the largest message a client may send
   * @param viewer makes the handler that takes the connection (not made for a version Netty does
   *     not speak: that is answered 426)
   * @param opened called on the event loop once the handshake answer is out
   */
  static <V extends ChannelHandler> void perform(
      ChannelHandlerContext ctx,
      HttpRequest request,
      int maxClientFrame,
      String handlerName,
      Supplier<V> viewer,
      java.util.function.Consumer<V> opened) {
    Channel channel = ctx.channel();
    // the GET's (empty) content was consumed by the HTTP handler: hand the handshaker a whole
    // request
    FullHttpRequest full =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.GET,
            request.uri(),
            Unpooled.EMPTY_BUFFER,
            request.headers().copy(),
            EmptyHttpHeaders.INSTANCE);
    String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
    WebSocketServerHandshaker handshaker =
        new WebSocketServerHandshakerFactory(
                "ws://" + host + Request.path(request.uri()), null, false, maxClientFrame)
            .newHandshaker(full);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
      return;
    }
    V handler = viewer.get();
    ctx.pipeline().replace(ctx.handler(), handlerName, handler);
    channel.config().setWriteBufferWaterMark(MseDoor.WATER_MARK);
    handshaker
        .handshake(channel, full)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                opened.accept(handler);
              } else {
                channel.close();
              }
            });
  }
}
