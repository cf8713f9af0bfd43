package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.ChannelDoor;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.hub.StreamHub;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.picture.LatestPictures;
import io.camflow.delivery.picture.PictureStream;
import io.camflow.delivery.picture.PictureWorkers;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.camflow.picture.PictureFormat;
import io.camflow.picture.PictureSpec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The door of the frames socket, {@code GET /live/<camera>/<stream>/frames} with a WebSocket
 * upgrade (docs/pictures.md): the caller's token ({@code live} of the camera) and the stream are
 * checked before the upgrade (refusals are plain HTTP), the query's {@code fps}, {@code width},
 * {@code height}, {@code quality} and {@code format} give the first settings ({@code 400} naming a
 * bad one), and a {@link FramesViewer} takes the connection.
 */
public final class FramesDoor implements ChannelDoor {

  /** The last path segment of the frames socket. */
  public static final String NAME = "frames";

  /** Pictures a second unless the client says otherwise. */
  static final double DEFAULT_FPS = 2;

  /** Largest WebSocket message a client may send (settings, a token: a few KB). */
  static final int MAX_CLIENT_FRAME = 16 * 1024;

  private final StreamHubs streams;
  private final Access access;
  private final PictureWorkers workers;
  private final ViewerSessions sessions;

  public FramesDoor(
      StreamHubs streams, Access access, PictureWorkers workers, ViewerSessions sessions) {
    this.streams = streams;
    this.access = access;
    this.workers = workers;
    this.sessions = sessions;
  }

  /** Whether a GET is a WebSocket upgrade for a frames socket. */
  public static boolean wants(HttpRequest request) {
    if (request.method() != HttpMethod.GET) {
      return false;
    }
    String path = Request.path(request.uri());
    return path.startsWith(LiveRequests.LIVE)
        && path.endsWith("/" + NAME)
        && request
            .headers()
            .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  @Override
  public void take(ChannelHandlerContext ctx, HttpRequest request, Consumer<Reply> refusal) {
    WebSocketUpgrade.decide(
        ctx,
        request,
        access,
        streams,
        refusal,
        FramesDoor::rendition,
        d ->
            handshake(
                ctx, request, d.key(), d.hub(), d.settings(), d.caller(), d.client(), refusal));
  }

  /** The first settings, from the query. */
  static PictureStream.Rendition rendition(Map<String, List<String>> query) {
    PictureFormat format = PictureFormat.JPEG;
    List<String> f = query.get("format");
    if (f != null) {
      if (f.size() != 1 || !(f.get(0).equals("jpeg") || f.get(0).equals("webp"))) {
        throw new IllegalArgumentException("format must be jpeg or webp, once");
      }
      format = f.get(0).equals("webp") ? PictureFormat.WEBP : PictureFormat.JPEG;
    }
    double fps = query.containsKey("fps") ? PictureDoor.fps(query) : DEFAULT_FPS;
    return new PictureStream.Rendition(PictureSpec.parse(format, query), fps);
  }

  private void handshake(
      ChannelHandlerContext ctx,
      HttpRequest request,
      StreamKey key,
      StreamHub hub,
      PictureStream.Rendition rendition,
      Caller caller,
      String client,
      Consumer<Reply> refusal) {
    Channel channel = ctx.channel();
    if (!channel.isActive()) {
      return;
    }
    LatestPictures latest = hub.pictures();
    PictureStream moving = hub.pictureStream();
    if (latest == null || moving == null) {
      refusal.accept(
          Reply.text(503, "the stream stopped just now; try again").withHeader("Retry-After", "1"));
      return;
    }
    WebSocketUpgrade.perform(
        ctx,
        request,
        MAX_CLIENT_FRAME,
        FramesViewer.NAME,
        () ->
            new FramesViewer(
                channel,
                key,
                latest,
                moving,
                workers,
                sessions,
                rendition,
                ViewerSessions.userOf(caller),
                client,
                access.enabled() ? caller : null,
                access.enabled()
                    ? t -> access.check(client, t, c -> c.mayWatchLive(key.camera()))
                    : null),
        FramesViewer::opened);
  }
}
