package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.auth.TrustedProxies;
import io.camflow.delivery.door.ChannelDoor;
import io.camflow.delivery.door.ClientAddress;
import io.camflow.delivery.door.Credentials;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.hub.StreamHub;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.mse.MseStream;
import io.camflow.delivery.mse.MseViewer;
import io.camflow.delivery.mse.MseViewers;
import io.camflow.delivery.mse.Recordings;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The door of {@code GET /live/<camera>/<stream>/mse}: decides a WebSocket upgrade before it
 * happens — the caller's token through {@link Access} (refusals are plain HTTP 401/403/429, no
 * upgrade), then the stream (404 if it has no CMAF topic) — and only then performs the handshake on
 * the connection and puts an {@link MseViewer} in the pipeline in place of the HTTP hot-path
 * handler (the router's front door). Registered with the router as the route {@link #wants}
 * accepts.
 */
public final class MseDoor implements ChannelDoor {

  /** The last path segment of the MSE endpoint. */
  public static final String NAME = "mse";

  /**
   * Largest WebSocket frame a client may send (its play message is a few hundred bytes, a token
   * message a few KB).
   */
  static final int MAX_CLIENT_FRAME = 16 * 1024;

  /** The outbound bytes a viewer's channel takes before it counts as not writable. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

  private final StreamHubs streams;
  private final Access access;
  private final MseViewers viewers;
  private final Recordings recordings;

  /**
   * @param recordings where viewers play recordings from (docs/mse.md, "Recordings"); null for live
   *     only
   */
  public MseDoor(StreamHubs streams, Access access, MseViewers viewers, Recordings recordings) {
    this.streams = streams;
    this.access = access;
    this.viewers = viewers;
    this.recordings = recordings;
  }

  private TrustedProxies trustedProxies() {
    return access.settings().trustedProxies();
  }

  /**
   * Whether a GET is a WebSocket upgrade for an MSE endpoint (judged further by {@link #upgrade}).
   */
  public static boolean wants(HttpRequest request) {
    if (request.method() != HttpMethod.GET) {
      return false;
    }
    String path = Request.path(request.uri());
    return path.startsWith("/live/")
        && path.endsWith("/" + NAME)
        && request
            .headers()
            .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /**
   * Decides the upgrade and performs it, or answers with a plain HTTP refusal (the connection then
   * closed).
   */
  @Override
  public void take(ChannelHandlerContext ctx, HttpRequest request, Consumer<Reply> refusal) {
    String path = Request.path(request.uri());
    String[] parts = path.substring("/live/".length()).split("/", -1);
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
    String client =
        ClientAddress.of(ctx.channel().remoteAddress(), request.headers(), trustedProxies())
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
                  live ->
                      ctx.channel()
                          .eventLoop()
                          .execute(
                              () -> handshake(ctx, request, key, live, caller, client, refusal)));
            });
  }

  private void handshake(
      ChannelHandlerContext ctx,
      HttpRequest request,
      StreamKey key,
      StreamHub hub,
      Caller caller,
      String client,
      Consumer<Reply> refusal) {
    Channel channel = ctx.channel();
    if (!channel.isActive()) {
      return;
    }
    MseStream stream = hub.mse(); // the stream's CMAF feed starts with its first MSE or HLS viewer
    if (stream == null) {
      refusal.accept(
          Reply.text(503, "the stream stopped just now; try again").withHeader("Retry-After", "1"));
      return;
    }
    // with auth on, the session runs on the caller's token; fresh ones come over the socket
    // (docs/mse.md, "Tokens"); the recording needs the camera's dvr permission, checked here with
    // the upgrade's token
    WebSocketUpgrade.perform(
        ctx,
        request,
        MAX_CLIENT_FRAME,
        MseViewer.NAME,
        () -> {
          MseViewer viewer =
              access.enabled()
                  ? new MseViewer(
                      channel,
                      stream,
                      viewers,
                      viewers.settings(),
                      ViewerSessions.userOf(caller),
                      client,
                      caller,
                      token -> access.check(client, token, c -> c.mayWatchLive(key.camera())))
                  : new MseViewer(
                      channel,
                      stream,
                      viewers,
                      viewers.settings(),
                      ViewerSessions.userOf(caller),
                      client);
          viewer.recordings(recordings, !access.enabled() || caller.may(key.camera(), Caller.DVR));
          if (viewers.settings().sendBuffer() > 0) {
            channel.config().setOption(ChannelOption.SO_SNDBUF, viewers.settings().sendBuffer());
          }
          return viewer;
        },
        MseViewer::opened);
  }
}
