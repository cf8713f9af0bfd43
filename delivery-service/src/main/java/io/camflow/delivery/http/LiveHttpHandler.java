package io.camflow.delivery.http;

import io.camflow.delivery.hls.PartStream;
import io.camflow.delivery.hls.Reply;
import io.camflow.delivery.hls.StreamingReply;
import io.camflow.delivery.mse.MseDoor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The viewer hot path: a plain Netty handler in camel-netty-http's server pipeline, right after the
 * HTTP codec and ahead of Camel's handlers. It answers GET of {@code /live/**}, {@code /healthz}
 * and {@code /readyz} itself ({@link LiveRequests}, the window's shared buffers written as they
 * are), so those requests never become Camel exchanges; every other request (and its content)
 * goes on to the Camel route untouched. One instance per connection.
 *
 * <p>A held request (blocking reload) is written later from the stream's consumer thread or the
 * timeout; the preload-hinted part is answered at once (200, chunked) and written chunk by chunk
 * as the window receives it. Stream writes are always queued on the channel's event loop, so they
 * reach the wire in the order they were made; a streamed part's chunks are written whatever the
 * channel's writability (one part at most, tens of kB). The {@link ConnectionGuard} ahead of it
 * hands it one request at a time (the next once this one is answered) and stops reading while the
 * client does not take its answers.
 */
public final class LiveHttpHandler extends ChannelInboundHandlerAdapter {

  /** The name of this handler in the pipeline. */
  public static final String NAME = "camflow-live";

  private final Getter live;
  private final NettyReplies replies;
  /** True between a request answered here and its last content (swallowed, not passed on). */
  private boolean ours;

  public LiveHttpHandler(Getter live, NettyReplies replies) {
    this.live = live;
    this.replies = replies;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      if (live instanceof MseDoor mse && request.decoderResult().isSuccess() && MseDoor.wants(request)) {
        ours = !(msg instanceof LastHttpContent); // WebSocket/MSE: decided, then upgraded, by the door
        ReferenceCountUtil.release(msg);
        mse.upgrade(ctx, request);
        return;
      }
      if (request.method() == HttpMethod.GET && request.decoderResult().isSuccess()
          && LiveRequests.serves(LiveRequests.path(request.uri()))) {
        ours = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        answer(ctx, request);
        return;
      }
      ours = false;
      ctx.fireChannelRead(msg);
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

  /** A viewer going away (connection reset) is routine: closed quietly, not logged by Camel. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private void answer(ChannelHandlerContext ctx, HttpRequest request) {
    Answer answer = new Answer(ctx.channel(), HttpUtil.isKeepAlive(request),
        request.protocolVersion() == HttpVersion.HTTP_1_0,
        LiveRequests.acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING)),
        request.headers().get(HttpHeaderNames.ORIGIN));
    try {
      live.get(Request.of(request, ctx.channel().remoteAddress(), live.trustedProxies()), answer);
    } catch (RuntimeException e) {
      answer.accept(Reply.text(500, "internal error"));
    }
  }

  /** The answer to one request: a whole reply, or a streamed part. Used once. */
  private final class Answer implements StreamingReply {
    private final Channel channel;
    private final boolean keepAlive;
    private final boolean http10;
    private final boolean acceptsGzip;
    private final String origin;
    private final AtomicBoolean answered = new AtomicBoolean();

    Answer(Channel channel, boolean keepAlive, boolean http10, boolean acceptsGzip, String origin) {
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
      FullHttpResponse response = replies.full(reply, acceptsGzip, origin);
      connection(response);
      if (keepAlive) {
        channel.writeAndFlush(response, channel.voidPromise());
      } else {
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public PartStream stream(String contentType, String cacheControl) {
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
      boolean closeAtEnd = http10 || !keepAlive;
      channel.eventLoop().execute(() -> channel.writeAndFlush(head, channel.voidPromise()));
      return new PartStream() {
        @Override
        public void write(List<byte[]> chunks) {
          DefaultHttpContent content = new DefaultHttpContent(replies.content(chunks));
          channel.eventLoop().execute(() -> channel.writeAndFlush(content, channel.voidPromise()));
        }

        @Override
        public void end() {
          channel.eventLoop().execute(() -> {
            if (closeAtEnd) {
              channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            } else {
              channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
            }
          });
        }

        @Override
        public void abort() {
          // the status is out already: closing without the last chunk tells the client it failed
          channel.eventLoop().execute(channel::close);
        }
      };
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
