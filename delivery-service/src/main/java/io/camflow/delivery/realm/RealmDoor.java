package io.camflow.delivery.realm;

import io.camflow.delivery.auth.TrustedProxies;
import io.camflow.delivery.door.ChannelDoor;
import io.camflow.delivery.door.ClientAddress;
import io.camflow.delivery.door.Reply;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The realm's pages on delivery's ports: the router's route for the paths {@link
 * RealmProxy#serves}, answered by Keycloak through the {@link RealmProxy}. Keycloak's answer is
 * passed through as it is (its headers, several Set-Cookie among them), so this door writes it on
 * the connection itself instead of through a {@link Reply}. The request arrives whole (the HTTP
 * aggregator bounds its body); the answer is written when Keycloak's comes back, from another
 * thread.
 */
public final class RealmDoor implements ChannelDoor {

  private final RealmProxy proxy;
  private final TrustedProxies trustedProxies;

  public RealmDoor(RealmProxy proxy, TrustedProxies trustedProxies) {
    this.proxy = proxy;
    this.trustedProxies = trustedProxies;
  }

  /** Whether a request of this path is the realm's. */
  public boolean serves(String path) {
    return proxy.serves(path);
  }

  @Override
  public void take(ChannelHandlerContext ctx, HttpRequest whole, Consumer<Reply> refusal) {
    FullHttpRequest request = (FullHttpRequest) whole; // a route that takes the body: aggregated
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    RealmProxy.Asked asked = asked(ctx.channel(), request);
    Channel channel = ctx.channel();
    proxy.forward(asked, answer -> write(channel, answer, keepAlive));
  }

  private RealmProxy.Asked asked(Channel channel, FullHttpRequest request) {
    boolean https = channel.pipeline().get(SslHandler.class) != null;
    String host = request.headers().get(HttpHeaderNames.HOST);
    // behind a trusted proxy (TLS ends there) the proxy's own forwarding headers say what the
    // browser used
    if (channel.remoteAddress() instanceof InetSocketAddress peer
        && peer.getAddress() != null
        && trustedProxies.trusts(peer.getAddress())) {
      String proto = request.headers().get("X-Forwarded-Proto");
      if (proto != null) {
        https = proto.trim().equalsIgnoreCase("https");
      }
      String forwardedHost = request.headers().get("X-Forwarded-Host");
      if (forwardedHost != null && !forwardedHost.isBlank()) {
        host = forwardedHost.trim();
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    request.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + ", " + b));
    String client =
        ClientAddress.of(channel.remoteAddress(), request.headers(), trustedProxies).address();
    return new RealmProxy.Asked(
        request.method().name(),
        request.uri(),
        host,
        https,
        client,
        headers,
        ByteBufUtil.getBytes(request.content()));
  }

  private static void write(Channel channel, RealmProxy.Answer answer, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(answer.body()),
            false);
    answer.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.writeAndFlush(response, channel.voidPromise());
    }
  }
}
