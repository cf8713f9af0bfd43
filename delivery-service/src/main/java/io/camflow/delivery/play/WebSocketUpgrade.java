package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.ClientAddress;
import io.camflow.delivery.door.Credentials;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.hub.StreamHub;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.media.StreamKey;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The upgrade of a stream's WebSocket door (MSE, frames), in two steps. {@link #decide}: the path
 * names a stream, the query decodes (and gives the door's settings), the caller's token lets it
 * watch the camera live, the stream exists — each refusal plain HTTP, before any upgrade. {@link
 * #perform}: the viewer's handler takes the place of the HTTP hot-path handler, the handshake
 * answer goes out, and the viewer is told once it has — or the connection closes.
 */
final class WebSocketUpgrade {

  private WebSocketUpgrade() {}

  /**
   * What {@link #decide} found.
   *
   * @param settings what the door made of the query
   * @param caller whose token let the request in ({@link Caller#NOBODY_CHECKED} when auth is off)
   * @param client the client's address
   */
  record Decided<T>(StreamKey key, T settings, Caller caller, String client, StreamHub hub) {}

  /**
   * Decides an upgrade of {@code /live/<camera>/<stream>/<name>}: {@code then} on the connection's
   * event loop, or {@code refusal} with 404, 400 (a query that does not decode, or that {@code
   * settings} refuses with its message), 401/403/429, or the stream's 404/503.
   */
  static <T> void decide(
      ChannelHandlerContext ctx,
      HttpRequest request,
      Access access,
      StreamHubs streams,
      Consumer<Reply> refusal,
      Function<Map<String, List<String>>, T> settings,
      Consumer<Decided<T>> then) {
    String[] parts =
        Request.path(request.uri()).substring(LiveRequests.LIVE.length()).split("/", -1);
    if (parts.length != 3 || !StreamKey.isValidPart(parts[0]) || !StreamKey.isValidPart(parts[1])) {
      refusal.accept(Reply.text(404, "not found"));
      return;
    }
    StreamKey key = new StreamKey(parts[0], parts[1]);
    Map<String, List<String>> query;
    try {
      query = new QueryStringDecoder(request.uri()).parameters();
    } catch (IllegalArgumentException e) {
      refusal.accept(Reply.text(400, "the query is not valid URL encoding"));
      return;
    }
    T made;
    try {
      made = settings.apply(query);
    } catch (IllegalArgumentException e) {
      refusal.accept(Reply.text(400, e.getMessage()));
      return;
    }
    String client =
        ClientAddress.of(
                ctx.channel().remoteAddress(),
                request.headers(),
                access.settings().trustedProxies())
            .address();
    String token = Credentials.token(request.headers().get(HttpHeaderNames.AUTHORIZATION), query);
    access
        .check(client, token, c -> c.mayWatchLive(key.camera()))
        .thenAccept(
            v -> {
              if (v instanceof Access.Refused r) {
                refusal.accept(Refusals.reply(r));
                return;
              }
              Caller caller = ((Access.Granted) v).caller();
              streams.openFor(
                  key,
                  refusal,
                  hub ->
                      ctx.channel()
                          .eventLoop()
                          .execute(
                              () -> then.accept(new Decided<>(key, made, caller, client, hub))));
            });
  }

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
      Consumer<V> opened) {
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
