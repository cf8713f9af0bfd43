package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.ChannelDoor;
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
    WebSocketUpgrade.decide(
        ctx,
        request,
        access,
        streams,
        refusal,
        query -> null,
        d -> handshake(ctx, request, d.key(), d.hub(), d.caller(), d.client(), refusal));
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
