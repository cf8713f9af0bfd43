package io.camflow.delivery.http;

import io.camflow.delivery.auth.TrustedProxies;
import io.camflow.delivery.door.BodyStream;
import io.camflow.delivery.door.ChannelDoor;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.PartStream;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.door.StreamingReply;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way in: every request of the HTTP port is routed by the {@link Router} here, a plain
 * Netty handler in the server's pipeline right after the HTTP codec and the {@link
 * ConnectionGuard}. A route that answers on the head (the viewer hot path: GET of {@code /live/**},
 * {@code /healthz}, {@code /readyz}, {@code /metrics}; the MSE upgrade) is dispatched at once, the
 * window's shared buffers written as they are, no Camel exchange per request; the request of a
 * route that takes the body goes on to the HTTP aggregator, and {@link Whole} (this class's second
 * stage, right after it) dispatches it whole to the same route. Every {@link Reply} is written by
 * {@link NettyReplies}. One instance per connection.
 *
 * <p>A held request (blocking reload) is written later from the stream's consumer thread or the
 * timeout; the preload-hinted part is answered at once (200, chunked) and written chunk by chunk as
 * the window receives it. Stream writes are always queued on the channel's event loop, so they
 * reach the wire in the order they were made; a streamed part's chunks are written whatever the
 * channel's writability (one part at most, tens of kB). The {@link ConnectionGuard} ahead of it
 * hands it one request at a time (the next once this one is answered) and stops reading while the
 * client does not take its answers.
 */
public final class FrontDoor extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);

  /** The name of this handler in the pipeline. */
  public static final String NAME = "camflow-door";

  /** The name of its second stage, after the aggregator. */
  public static final String WHOLE = "camflow-door-whole";

  private final Router router;
  private final NettyReplies replies;

  /** True between a request answered here and its last content (swallowed, not passed on). */
  private boolean ours;

  public FrontDoor(Router router, NettyReplies replies) {
    this.router = router;
    this.replies = replies;
  }

  /** A router of one route, GET {@code /live/**} to {@code live} (tests). */
  public FrontDoor(Door live, NettyReplies replies) {
    this(new Router(TrustedProxies.NONE).get("live", p -> p.startsWith("/live/"), live), replies);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      Router.Route route = request.decoderResult().isSuccess() ? router.route(request) : null;
      if (route == null || route.whole()) {
        ours = false;
        ctx.fireChannelRead(msg); // its body first: the aggregator, then Whole
        return;
      }
      ours = !(msg instanceof LastHttpContent);
      try {
        dispatch(ctx, router, replies, route, request, null);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (ours && msg instanceof HttpContent) {
      if (msg instanceof LastHttpContent) {
        ours = false;
      }
      ReferenceCountUtil.release(msg); // a GET body: ignored
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /** A viewer going away (connection reset) is routine: closed quietly. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  /**
   * The second stage, after the HTTP aggregator: the requests whose routes take their body, whole.
   * Nothing passes it (Camel's handlers behind it see no request). One instance per connection.
   */
  public static final class Whole extends ChannelInboundHandlerAdapter {
    private final Router router;
    private final NettyReplies replies;

    public Whole(Router router, NettyReplies replies) {
      this.router = router;
      this.replies = replies;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof FullHttpRequest request)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      try {
        dispatch(
            ctx,
            router,
            replies,
            router.route(request),
            request,
            ByteBufUtil.getBytes(request.content()));
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    /**
     * The end of the pipeline (nothing behind it handles requests): closed, and logged unless a
     * reset.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!(cause instanceof IOException)) {
        LOG.warn("closing {} after an error: {}", ctx.channel().remoteAddress(), cause.toString());
      }
      ctx.close();
    }
  }

  private static void dispatch(
      ChannelHandlerContext ctx,
      Router router,
      NettyReplies replies,
      Router.Route route,
      HttpRequest request,
      byte[] body) {
    if (route.door() instanceof ChannelDoor door) {
      Answer refusal =
          new Answer(
              replies,
              ctx.channel(),
              false,
              false,
              false,
              request.headers().get(HttpHeaderNames.ORIGIN),
              true);
      door.take(ctx, request, refusal);
      return;
    }
    Answer answer =
        new Answer(
            replies,
            ctx.channel(),
            HttpUtil.isKeepAlive(request),
            request.protocolVersion() == HttpVersion.HTTP_1_0,
            NettyReplies.acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING)),
            request.headers().get(HttpHeaderNames.ORIGIN),
            !route.whole());
    try {
      ((Door) route.door())
          .handle(
              Request.of(request, ctx.channel().remoteAddress(), router.trustedProxies(), body),
              answer);
    } catch (RuntimeException e) {
      answer.accept(Reply.text(500, "internal error"));
    }
  }

  /** The answer to one request: a whole reply, or a streamed part. Used once. */
  private static final class Answer implements StreamingReply {
    private final NettyReplies replies;
    private final Channel channel;
    private final boolean keepAlive;
    private final boolean http10;
    private final boolean acceptsGzip;
    private final String origin;

    /**
     * Whether the bodies count into the bytes out: the hot path's
     * (camflow_delivery_bytes_out{protocol="hls"}).
     */
    private final boolean counted;

    private final AtomicBoolean answered = new AtomicBoolean();

    Answer(
        NettyReplies replies,
        Channel channel,
        boolean keepAlive,
        boolean http10,
        boolean acceptsGzip,
        String origin,
        boolean counted) {
      this.counted = counted;
      this.replies = replies;
      this.channel = channel;
      this.keepAlive = keepAlive;
      this.http10 = http10;
      this.acceptsGzip = acceptsGzip;
      this.origin = origin;
    }

    @Override
    public void accept(Reply reply) {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      FullHttpResponse response = replies.full(reply, acceptsGzip, origin, counted);
      connection(response);
      if (keepAlive) {
        channel.writeAndFlush(response, channel.voidPromise());
      } else {
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    /**
     * Starts a 200 response of unknown length (chunked; over HTTP/1.0 until the connection closes):
     * true if the connection closes at its end.
     */
    private boolean startChunked(String contentType, String cacheControl) {
      if (!answered.compareAndSet(false, true)) {
        throw new IllegalStateException("answered already");
      }
      HttpResponse head = replies.chunkedHead(contentType, cacheControl, origin);
      if (http10) { // no chunked encoding in HTTP/1.0: the body ends with the connection
        head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      } else {
        connection(head);
      }
      channel.eventLoop().execute(() -> channel.writeAndFlush(head, channel.voidPromise()));
      return http10 || !keepAlive;
    }

    /** Ends a streamed response after what was written before; closes the connection if asked. */
    private void endChunked(boolean closeAtEnd) {
      channel
          .eventLoop()
          .execute(
              () -> {
                if (closeAtEnd) {
                  channel
                      .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                      .addListener(ChannelFutureListener.CLOSE);
                } else {
                  channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
                }
              });
    }

    @Override
    public PartStream stream(String contentType, String cacheControl) {
      boolean closeAtEnd = startChunked(contentType, cacheControl);
      return new PartStream() {
        @Override
        public void write(List<byte[]> chunks) {
          DefaultHttpContent content = new DefaultHttpContent(replies.content(chunks));
          channel.eventLoop().execute(() -> channel.writeAndFlush(content, channel.voidPromise()));
        }

        @Override
        public void end() {
          endChunked(closeAtEnd);
        }

        @Override
        public void abort() {
          // the status is out already: closing without the last chunk tells the client it failed
          channel.eventLoop().execute(channel::close);
        }
      };
    }

    @Override
    public BodyStream stream(Reply head, long length) {
      if (!answered.compareAndSet(false, true)) {
        throw new IllegalStateException("answered already");
      }
      HttpResponse response = replies.head(head, length, origin);
      connection(response);
      channel.eventLoop().execute(() -> channel.writeAndFlush(response, channel.voidPromise()));
      return new QueuedBody(counted, !keepAlive);
    }

    @Override
    public BodyStream open(String contentType, String cacheControl) {
      return new QueuedBody(false, startChunked(contentType, cacheControl));
    }

    /**
     * A body written piece by piece after its head: every write goes through the event loop's
     * queue, even from the event loop itself, so none can overtake the head queued before it.
     */
    private final class QueuedBody implements BodyStream {
      private final boolean countedBytes;
      private final boolean closeAtEnd;

      QueuedBody(boolean countedBytes, boolean closeAtEnd) {
        this.countedBytes = countedBytes;
        this.closeAtEnd = closeAtEnd;
      }

      @Override
      public CompletionStage<Void> write(byte[]... pieces) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        DefaultHttpContent content =
            new DefaultHttpContent(
                countedBytes ? replies.content(List.of(pieces)) : Unpooled.wrappedBuffer(pieces));
        channel
            .eventLoop()
            .execute(
                () ->
                    channel
                        .writeAndFlush(content)
                        .addListener(
                            f -> {
                              if (f.isSuccess()) {
                                written.complete(null);
                              } else {
                                written.completeExceptionally(f.cause());
                              }
                            }));
        return written;
      }

      @Override
      public void end() {
        endChunked(closeAtEnd);
      }

      @Override
      public void abort() {
        channel.eventLoop().execute(channel::close);
      }

      @Override
      public void onClose(Runnable closed) {
        channel.closeFuture().addListener(f -> closed.run());
      }
    }

    private void connection(HttpResponse response) {
      if (!keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      } else if (http10) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
    }
  }
}
