package io.camflow.delivery.play;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.mse.MseMessages;
import io.camflow.delivery.mse.TokenRenewal;
import io.camflow.delivery.picture.LatestPictures;
import io.camflow.delivery.picture.PictureStream;
import io.camflow.delivery.picture.PictureWorkers;
import io.camflow.delivery.sessions.Admission;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.camflow.picture.BadPictureRequestException;
import io.camflow.picture.Picture;
import io.camflow.picture.PictureFormat;
import io.camflow.picture.PictureSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One viewer of the frames socket ({@code /live/<camera>/<stream>/frames}, docs/pictures.md): it
 * gets the stream's pictures as binary messages — the capture time (ms since the epoch, 8 bytes big
 * endian) and the JPEG or WebP file — at the rate and size it asked for, and may ask for another
 * with a {@code settings} message while connected. The newest picture wins: while one is still
 * being written, later ones replace each other and only the latest follows, so a slow client shows
 * fewer pictures and never a growing queue. A viewer session (protocol {@code frames}) that runs on
 * its token and takes fresh ones as the MSE socket does ({@code token}).
 */
final class FramesViewer extends ChannelInboundHandlerAdapter implements PictureStream.Viewer {

  static final String NAME = "camflow-frames";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Channel channel;
  private final StreamKey key;
  private final LatestPictures latest;
  private final PictureStream moving;
  private final PictureWorkers workers;
  private final ViewerSessions sessions;
  private final String user;
  private final String remote;
  private final Caller caller;
  private final Function<String, CompletionStage<Access.Verdict>> tokens;
  private final AtomicReference<Picture> pending = new AtomicReference<>();

  // on the event loop
  private volatile PictureStream.Rendition rendition;
  private PictureStream.Subscription subscription;
  private ViewerSession session;
  private boolean writing;
  private boolean ended;
  private long sentCapture = Long.MIN_VALUE;

  /**
   * @param caller whose token the session runs on; null when auth is off
   * @param tokens checks a fresh token for this stream; null when auth is off
   */
  FramesViewer(
      Channel channel,
      StreamKey key,
      LatestPictures latest,
      PictureStream moving,
      PictureWorkers workers,
      ViewerSessions sessions,
      PictureStream.Rendition rendition,
      String user,
      String remote,
      Caller caller,
      Function<String, CompletionStage<Access.Verdict>> tokens) {
    this.channel = channel;
    this.key = key;
    this.latest = latest;
    this.moving = moving;
    this.workers = workers;
    this.sessions = sessions;
    this.rendition = rendition;
    this.user = user;
    this.remote = remote;
    this.caller = caller;
    this.tokens = tokens;
  }

  /** Once the handshake answer is out (event loop): admits the viewer and starts its pictures. */
  void opened() {
    Admission admission = sessions.admit(Protocol.FRAMES, key, user, remote, this::disconnect);
    if (admission instanceof Admission.Refused refused) {
      boolean shutdown = refused.reason().equals(ViewerSessions.SHUTTING_DOWN);
      endNow(
          shutdown ? MseMessages.shutdown() : MseMessages.limit(),
          shutdown ? 1001 : 1013,
          refused.reason());
      return;
    }
    session = ((Admission.Admitted) admission).session();
    if (caller != null) {
      session.runOn(caller, why -> loop(() -> endNow(MseMessages.ended(why), 1008, why.reason())));
    }
    watch(rendition);
  }

  private void watch(PictureStream.Rendition r) {
    rendition = r;
    PictureStream.Subscription old = subscription;
    subscription = moving.watch(r, this);
    if (old != null) {
      old.close();
    }
    sentCapture = Long.MIN_VALUE; // a new size may start with an older picture
    send(settings(r));
    // the latest keyframe at once; the stream's pictures from its next keyframe on
    latest
        .latest(r.spec(), workers)
        .thenAccept(
            p -> {
              if (rendition.equals(r)) {
                picture(p);
              }
            });
  }

  @Override
  public void picture(Picture picture) {
    pending.set(picture);
    loop(this::pump);
  }

  private void pump() {
    if (writing || ended) {
      return;
    }
    Picture p = pending.getAndSet(null);
    if (p == null || p.captureMillis() < sentCapture) {
      return;
    }
    sentCapture = p.captureMillis();
    // the capture time, then the picture as it is, shared with the other viewers: no copy
    ByteBuf message =
        Unpooled.wrappedBuffer(
            Unpooled.copyLong(p.captureMillis()), Unpooled.wrappedBuffer(p.bytes()));
    writing = true;
    session.sent(message.readableBytes());
    channel
        .writeAndFlush(new BinaryWebSocketFrame(message))
        .addListener(
            f -> {
              writing = false; // the listener runs on the event loop
              if (f.isSuccess()) {
                pump();
              } else {
                endNow(null, 1011, "write failed");
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (msg) {
        case TextWebSocketFrame text -> text(text.text());
        case PingWebSocketFrame ping ->
            channel.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        case CloseWebSocketFrame close -> endNow(null, 1000, "");
        default -> {}
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void text(String text) {
    if (ended || session == null) {
      return;
    }
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (java.io.IOException e) {
      send(error("not JSON"));
      return;
    }
    switch (message.path("type").asText()) {
      case "settings" -> {
        try {
          watch(changed(rendition, message));
        } catch (BadPictureRequestException e) {
          send(error(e.getMessage()));
        }
      }
      case "token" -> renew(message.path("token").asText(""));
      default -> {} // a newer client's message
    }
  }

  /** {@code r} with what a settings message changes (fps, width, height, quality, format). */
  static PictureStream.Rendition changed(PictureStream.Rendition r, JsonNode m) {
    PictureSpec s = r.spec();
    PictureFormat format = s.format();
    if (m.has("format")) {
      format =
          switch (m.path("format").asText()) {
            case "jpeg" -> PictureFormat.JPEG;
            case "webp" -> PictureFormat.WEBP;
            default -> throw new BadPictureRequestException("format must be jpeg or webp");
          };
    }
    return new PictureStream.Rendition(
        new PictureSpec(
            format,
            intField(m, "width", s.width()),
            intField(m, "height", s.height()),
            intField(m, "quality", s.quality())),
        m.has("fps") ? number(m, "fps") : r.fps());
  }

  private static int intField(JsonNode m, String name, int absent) {
    if (!m.has(name)) {
      return absent;
    }
    if (!m.get(name).canConvertToInt() || !m.get(name).isIntegralNumber()) {
      throw new BadPictureRequestException(name + " must be a whole number");
    }
    return m.get(name).intValue();
  }

  private static double number(JsonNode m, String name) {
    if (!m.get(name).isNumber()) {
      throw new BadPictureRequestException(name + " must be a number");
    }
    return m.get(name).doubleValue();
  }

  static String settings(PictureStream.Rendition r) {
    ObjectNode n = JSON.createObjectNode().put("type", "settings");
    n.put("format", r.spec().format() == PictureFormat.JPEG ? "jpeg" : "webp");
    n.put("fps", r.fps());
    n.put("width", r.spec().width());
    n.put("height", r.spec().height());
    n.put("quality", r.spec().quality());
    return n.toString();
  }

  private static String error(String message) {
    return JSON.createObjectNode().put("type", "error").put("message", message).toString();
  }

  private void renew(String token) {
    ViewerSession s = session;
    if (tokens == null || s.lease() == null) {
      return; // auth off: nothing runs on a token
    }
    tokens
        .apply(token)
        .thenAccept(verdict -> loop(() -> TokenRenewal.apply(s, verdict, this::send)));
  }

  private void disconnect() {
    loop(() -> endNow(MseMessages.disconnected(), 1008, MseMessages.DISCONNECTED));
  }

  private void send(String json) {
    channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
  }

  private void loop(Runnable r) {
    if (channel.eventLoop().inEventLoop()) {
      r.run();
    } else {
      channel.eventLoop().execute(r);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  private void stop() {
    ended = true;
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    if (session != null) {
      session.end();
    }
  }

  private void endNow(String json, int code, String reason) {
    if (ended) {
      return;
    }
    stop();
    if (json != null) {
      channel.write(new TextWebSocketFrame(json), channel.voidPromise());
    }
    channel
        .writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
    channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
  }
}
