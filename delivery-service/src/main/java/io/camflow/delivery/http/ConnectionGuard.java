package io.camflow.delivery.http;

import io.camflow.delivery.door.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection of the HTTP port within bounds, so that a client cannot hold what others
 * need (docs/delivery.md, "Connections"):
 *
 * <ul>
 *   <li><b>One request at a time.</b> Once a request has arrived whole, nothing more is read from
 *       the connection until it is answered (its response's end handed to Netty): pipelined
 *       requests wait in the socket, in order, and answers cannot overtake one another (a held
 *       playlist reload before a segment request).
 *   <li><b>Backpressure.</b> While the connection's outbound buffer is above its high-water mark
 *       ({@link #WATER_MARK}: the client does not take what it asked for), nothing is read from it
 *       either, so delivery queues at most one answer past the mark for a client that does not
 *       read.
 *   <li><b>Timeouts</b> ({@link HttpSettings}): idle (no request), read (a request that does not
 *       arrive whole), write (queued bytes the client does not take). An upgraded WebSocket is
 *       pinged every third of the idle timeout and closed when nothing came from it for the idle
 *       timeout; the write timeout applies to it too.
 * </ul>
 *
 * <p>Two handlers share the state: the {@link #intake()} before the HTTP decoder keeps the bytes
 * read while the connection waits and hands them to the decoder a slice at a time, so a burst of
 * pipelined requests is never decoded all at once; the guard itself sits after the codec, behind
 * Netty's {@code FlowControlHandler}, which holds what one slice decoded beyond the request being
 * answered. Everything runs on the connection's event loop.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

  static final String NAME = "camflow-guard";
  static final String INTAKE = "camflow-intake";

  /** Close reasons (metrics). */
  static final String IDLE = "idle";

  static final String READ = "read";
  static final String WRITE = "write";

  /**
   * The outbound bytes above which the connection counts as not writable (Netty's defaults,
   * stated).
   */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  /** Bytes handed to the decoder at once: a few dozen pipelined requests at most. */
  static final int SLICE = 1024;

  private final HttpSettings settings;
  private final Connections connections;
  private final NettyReplies replies;
  private final Intake intake = new Intake();
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> ticks;

  /** Reading paused (auto-read off): a request is being answered, or the client does not read. */
  private boolean paused;

  private boolean webSocket;

  /** Requests that arrived whole, and final responses whose end was written. */
  private long requests;

  private long answers;

  /** The response being written is informational (100 Continue): its end answers nothing. */
  private boolean informational;

  /** Bytes of a request arrived and its end has not. */
  private boolean readingRequest;

  private long requestSince;

  /** The last sign of life: bytes in, an answer out, bytes taken by the client (idle timeout). */
  private long activeAt;

  /** WebSocket: the last frame from the client, the last ping sent. */
  private long heardAt;

  private long pingedAt;

  /** Write timeout: the outbound buffer when it last moved, and since when it has not. */
  private Object stallMessage;

  private long stallProgress;
  private long stallPending;
  private long stallSince;

  ConnectionGuard(HttpSettings settings, Connections connections, NettyReplies replies) {
    this.settings = settings;
    this.connections = connections;
    this.replies = replies;
  }

  /** The handler to put before the HTTP decoder. */
  ChannelDuplexHandler intake() {
    return intake;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    Channel channel = ctx.channel();
    channel.config().setWriteBufferWaterMark(WATER_MARK);
    long now = System.nanoTime();
    activeAt = now;
    stallSince = now;
    connections.opened(channel);
    long period =
        Math.clamp(
            Math.min(
                    settings.idleTimeout().toMillis() / 3,
                    Math.min(settings.readTimeout().toMillis(), settings.writeTimeout().toMillis()))
                / 4,
            50,
            1000);
    ticks =
        ctx.executor().scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    ticks.cancel(false);
    intake.release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ticks.cancel(false);
    intake.release();
    ctx.fireChannelInactive();
  }

  // ---- in ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (webSocket) {
      heardAt = System.nanoTime();
      ctx.fireChannelRead(msg);
      return;
    }
    if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
      refuse(request);
      return;
    }
    if (msg instanceof LastHttpContent) {
      readingRequest = false;
      requests++;
      activeAt = System.nanoTime();
    }
    ctx.fireChannelRead(msg);
    regulate();
  }

  /**
   * A request the decoder could not read (too long a line or header block, malformed): answered,
   * closed.
   */
  private void refuse(HttpRequest request) {
    Throwable cause = request.decoderResult().cause();
    ReferenceCountUtil.release(request);
    Reply reply =
        cause instanceof TooLongHttpLineException
            ? Reply.text(414, "request line too long")
            : cause instanceof TooLongHttpHeaderException
                ? Reply.text(431, "request header fields too large")
                : Reply.text(400, "bad request");
    FullHttpResponse response = replies.full(reply, false, null);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    readingRequest = false;
    paused = true; // nothing more is read: the decoder discards the rest anyway
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    regulate(); // above the high-water mark: not one more request is read
    ctx.fireChannelWritabilityChanged();
  }

  // ---- out ----

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!webSocket && msg instanceof HttpObject) {
      boolean upgrade = false;
      if (msg instanceof HttpResponse response) {
        upgrade = response.status().code() == 101;
        informational = !upgrade && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      }
      if (upgrade) { // the request is answered; what comes from now on are WebSocket frames
        webSocket = true;
        answers = requests;
        heardAt = System.nanoTime();
        regulate();
      } else if (msg instanceof LastHttpContent) {
        if (informational) {
          informational = false;
        } else {
          answers++;
          activeAt = System.nanoTime();
          regulate();
        }
      }
    }
    ctx.write(msg, promise);
  }

  // ---- reading on and off ----

  /**
   * Whether the connection must not be read now: a request is being answered, or the client does
   * not read.
   */
  private boolean mustWait() {
    return !ctx.channel().isWritable() || !webSocket && requests > answers;
  }

  /**
   * Pauses reading at once if the connection must wait, or resumes it soon if it may read again.
   * Resuming is left to a task of its own: it reads, which may answer and write, and an answer
   * written must not recurse into the next read.
   */
  private void regulate() {
    if (mustWait()) {
      if (!paused) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
      }
    } else if (paused) {
      ctx.executor().execute(this::resume);
    }
  }

  private void resume() {
    Channel channel = ctx.channel();
    if (!paused || mustWait() || !channel.isActive()) {
      return;
    }
    paused = false;
    long now = System.nanoTime();
    requestSince = now; // the time it was not read is not the client's
    heardAt = Math.max(heardAt, now);
    channel.config().setAutoRead(true); // delivers what the flow-control handler holds
    intake.feed();
  }

  // ---- time ----

  private void tick() {
    Channel channel = ctx.channel();
    if (!channel.isActive()) {
      return;
    }
    long now = System.nanoTime();
    if (stalled(channel, now)) {
      close(WRITE);
    } else if (webSocket) {
      if (!paused && now - heardAt > settings.idleTimeout().toNanos()) {
        close(IDLE);
      } else if (!paused
          && channel.isWritable()
          && now - Math.max(heardAt, pingedAt) > settings.idleTimeout().toNanos() / 3) {
        pingedAt = now;
        ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER), ctx.voidPromise());
      }
    } else if (readingRequest) {
      if (!paused && now - requestSince > settings.readTimeout().toNanos()) {
        close(READ);
      }
    } else if (requests <= answers
        && pending(channel) == 0
        && now - activeAt > settings.idleTimeout().toNanos()) {
      close(IDLE);
    }
  }

  /** Whether bytes wait to be sent and the client has taken none of them for the write timeout. */
  private boolean stalled(Channel channel, long now) {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    long pending = out == null ? 0 : out.totalPendingWriteBytes();
    if (pending == 0) {
      stallMessage = null;
      stallPending = 0;
      stallSince = now;
      return false;
    }
    Object current = out.current();
    long progress = out.currentProgress();
    if (current != stallMessage || progress != stallProgress || pending < stallPending) {
      stallMessage = current;
      stallProgress = progress;
      stallPending = pending;
      stallSince = now;
      activeAt = now;
      return false;
    }
    stallPending = pending;
    return now - stallSince > settings.writeTimeout().toNanos();
  }

  private static long pending(Channel channel) {
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    return out == null ? 0 : out.totalPendingWriteBytes();
  }

  private void close(String reason) {
    connections.closedFor(reason);
    ctx.close();
  }

  /**
   * Before the HTTP decoder: the bytes the client sends. While the guard waits they are kept (one
   * socket read at most: auto-read is off, and a read asked for meanwhile — the decoder asks for
   * one when a slice ended in the middle of a request — is not passed on) and handed on a slice at
   * a time once it reads again.
   */
  private final class Intake extends ChannelDuplexHandler {
    private ChannelHandlerContext in;
    private ByteBuf waiting;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.in = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf bytes)) {
        ctx.fireChannelRead(msg);
        return;
      }
      long now = System.nanoTime();
      activeAt = now;
      if (!webSocket && !readingRequest) {
        readingRequest = true;
        requestSince = now;
      }
      if (waiting == null) {
        waiting = bytes;
      } else {
        ByteBuf both = ctx.alloc().buffer(waiting.readableBytes() + bytes.readableBytes());
        both.writeBytes(waiting).writeBytes(bytes);
        waiting.release();
        bytes.release();
        waiting = both;
      }
      feed();
    }

    /** Hands the decoder what waits, a slice at a time, while the guard reads. */
    void feed() {
      while (waiting != null && !paused && in.channel().isActive()) {
        ByteBuf slice = waiting.readRetainedSlice(Math.min(SLICE, waiting.readableBytes()));
        if (!waiting.isReadable()) {
          waiting.release();
          waiting = null;
        }
        in.fireChannelRead(slice);
      }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
      if (!paused) {
        ctx.read();
      }
    }

    void release() {
      if (waiting != null) {
        waiting.release();
        waiting = null;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      release();
      ctx.fireChannelInactive();
    }
  }
}
