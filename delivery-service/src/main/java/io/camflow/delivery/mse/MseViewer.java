package io.camflow.delivery.mse;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.sessions.Admission;
import io.camflow.delivery.sessions.Ending;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One MSE viewer: the channel handler of an upgraded WebSocket connection. Waits for the client's
 * {@code play}, joins its {@link MseStream}, then sends what the stream hands it through a {@link
 * ViewerQueue}, writing only while the channel is writable (the rest waits in the bounded queue;
 * {@code channelWritabilityChanged} resumes). Everything happens on the channel's event loop: the
 * stream's calls ({@link #start}, {@link #media}, ...) only schedule work there, so the feed thread
 * never waits on a viewer.
 *
 * <p>With auth on, the session runs on the viewer's token (docs/mse.md, "Tokens"): the client sends
 * {@code {"type":"token","token":"..."}} after each refresh; the session ends with an {@code ended}
 * event and close 1008 when the token expires (plus the grace) without one, when a fresh token is
 * invalid or another user's, or when its user loses the camera.
 */
public final class MseViewer extends ChannelInboundHandlerAdapter {

  /** The handler's name in the pipeline. */
  public static final String NAME = "camflow-mse";

  /** A client that has not said {@code play} by then is closed. */
  static final long PLAY_TIMEOUT_SECONDS = 10;

  private final Channel channel;
  private final MseStream stream;
  private final MseViewers registry;
  private final ViewerQueue queue;
  private final WriteLatency latency;
  private final String user;
  private final String remote;

  /** Whom the token of the upgrade names, or null when auth is off (no lease). */
  private final Caller caller;

  /**
   * Checks a fresh token for this stream (Access, live permission of the camera); null when auth is
   * off.
   */
  private final Function<String, CompletionStage<Access.Verdict>> tokens;

  /** This viewer's place and entry in /api/v1/sessions, from admission to the end. */
  private volatile ViewerSession session;

  private final long openedNanos = System.nanoTime();
  private List<String> codecs;
  private boolean playing;
  private boolean ended;
  private boolean toldOffline;
  private long initId = Long.MIN_VALUE;
  private boolean firstMediaWritten;
  private volatile long heldBytes;
  private volatile long fragmentsSent;

  /** Where recordings come from; null when this viewer may only watch live. */
  private Recordings recordings;

  /** Whether the caller may watch the camera's recordings (its dvr permission). */
  private boolean dvrAllowed;

  /** The recorded side, made at the first seek; active while the viewer watches the recording. */
  private Replay replay;

  /** Whether the viewer is joined to the live stream (it leaves it for the recording). */
  private boolean joinedLive;

  MseViewer(
      Channel channel, MseStream stream, MseViewers registry, MseSettings settings, String user) {
    this(channel, stream, registry, settings, user, remote(channel.remoteAddress()));
  }

  /**
   * @param remote the viewer's address (behind a trusted proxy, the client it names: ClientAddress)
   */
  public MseViewer(
      Channel channel,
      MseStream stream,
      MseViewers registry,
      MseSettings settings,
      String user,
      String remote) {
    this(channel, stream, registry, settings, user, remote, null, null);
  }

  /**
   * @param caller the upgrade's caller, whose token the session runs on; null when auth is off
   * @param tokens checks a fresh token the client sends for this stream; null when auth is off
   */
  public MseViewer(
      Channel channel,
      MseStream stream,
      MseViewers registry,
      MseSettings settings,
      String user,
      String remote,
      Caller caller,
      Function<String, CompletionStage<Access.Verdict>> tokens) {
    this.caller = caller;
    this.tokens = tokens;
    this.channel = channel;
    this.stream = stream;
    this.registry = registry;
    this.queue = new ViewerQueue(settings.queueBytes(), settings.queueFragments());
    this.latency = new WriteLatency(registry.addedLatency());
    this.user = user;
    this.remote = remote;
  }

  /**
   * Lets the viewer play the stream's recording (docs/mse.md, "Recordings") if {@code dvrAllowed};
   * a seek is refused otherwise. Called before {@link #opened}.
   */
  public MseViewer recordings(Recordings recordings, boolean dvrAllowed) {
    this.recordings = recordings;
    this.dvrAllowed = dvrAllowed;
    return this;
  }

  /**
   * Called on the event loop once the handshake answer is out: admits the viewer or says {@code
   * limit}.
   */
  public void opened() {
    Admission admission =
        registry.sessions().admit(Protocol.MSE, stream.key(), user, remote, this::disconnect);
    if (admission instanceof Admission.Refused refused) {
      if (refused.reason().equals(ViewerSessions.SHUTTING_DOWN)) {
        endNow(MseMessages.shutdown(), 1001, refused.reason());
      } else {
        endNow(MseMessages.limit(), 1013, refused.reason());
      }
      return;
    }
    session = ((Admission.Admitted) admission).session();
    if (caller != null) {
      session.runOn(caller, this::tokenEnded);
    }
    if (!stream
        .reserve()) { // the stream's count of MSE viewers (keeps it watched); same limit, so rare
      session.end();
      endNow(MseMessages.limit(), 1013, "viewer limit of the stream reached");
      return;
    }
    registry.admitted(this);
    channel
        .eventLoop()
        .schedule(
            () -> {
              if (!playing && !ended) {
                endNow(MseMessages.badRequest("no play message"), 1008, "no play message");
              }
            },
            PLAY_TIMEOUT_SECONDS,
            TimeUnit.SECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (msg) {
        case TextWebSocketFrame text -> text(text.text());
        case PingWebSocketFrame ping ->
            channel.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        case CloseWebSocketFrame close -> endNow(null, 1000, "");
        case WebSocketFrame ignored -> {}
        default -> {}
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void text(String text) {
    if (ended) {
      return;
    }
    MseMessages.FromClient message;
    try {
      message = MseMessages.fromClient(text);
    } catch (IllegalArgumentException e) {
      if (!playing) {
        endNow(MseMessages.badRequest(e.getMessage()), 1008, "bad play message");
      } else { // after play, a known message with a bad field is answered; the rest goes on
        send(MseMessages.refused("bad-request", e.getMessage()));
      }
      return;
    }
    switch (message) {
      case MseMessages.Play p -> play(p);
      case MseMessages.Token t -> renew(t.token());
      case MseMessages.Seek k -> {
        if (playing) {
          seek(k.at());
        }
      }
      case MseMessages.Rate r -> {
        if (replay != null) {
          replay.rate(r.rate());
        }
      }
      case MseMessages.Position p -> {
        if (replay != null) {
          replay.position(p.time());
        }
      }
      case MseMessages.GoLive g -> goLive();
      case MseMessages.Other o -> {
        if (!playing) {
          endNow(
              MseMessages.badRequest("expected {\"type\":\"play\",\"codecs\":[...]}"),
              1008,
              "bad play message");
        }
      }
    }
  }

  private void play(MseMessages.Play p) {
    if (playing) {
      return; // one play per connection; later ones are ignored
    }
    codecs = p.codecs();
    playing = true;
    latency.playing();
    if (p.at() == null || !seek(p.at())) {
      joinLive(); // live, also when the recording was refused
      return;
    }
    replay.rate(p.rate());
  }

  private void joinLive() {
    joinedLive = true;
    stream.join(this);
  }

  /** Plays the recording from {@code at}; false (and said why) if this viewer may not. */
  private boolean seek(java.time.Instant at) {
    if (recordings == null) {
      send(MseMessages.refused("not-recorded", "recordings are not served here"));
      return false;
    }
    if (!dvrAllowed) {
      send(
          MseMessages.refused(
              "forbidden",
              "watching recordings of camera '"
                  + stream.key().camera()
                  + "' needs its dvr permission"));
      return false;
    }
    if (replay == null) {
      replay = new Replay(recordings.playback(stream.key()), recordings.executor(), replaySide());
    }
    if (joinedLive) {
      joinedLive = false;
      stream.leave(this); // off the live stream; its place (reserve) is kept for going live
    }
    queue.clear();
    initId = Long.MIN_VALUE;
    toldOffline = false;
    replay.seek(at);
    return true;
  }

  /** Back to the live edge: init, the GOP burst and {@code live}, as at the start. */
  private void goLive() {
    if (!playing || joinedLive) {
      return;
    }
    if (replay != null) {
      replay.stop();
    }
    queue.clear();
    initId = Long.MIN_VALUE;
    joinLive();
  }

  private boolean watchingRecording() {
    return replay != null && replay.active();
  }

  private void send(String json) {
    queue.control(new ViewerQueue.Text(json));
    drain();
  }

  private Replay.Viewer replaySide() {
    return new Replay.Viewer() {
      @Override
      public void send(ViewerQueue.Item item) {
        queue.control(item);
      }

      @Override
      public boolean idle() {
        return queue.isEmpty() && channel.isWritable();
      }

      @Override
      public void flush() {
        drain();
      }

      @Override
      public void later(Runnable task, long millis) {
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (!ended) {
                    task.run();
                  }
                },
                millis,
                TimeUnit.MILLISECONDS);
      }

      @Override
      public void soon(Runnable task) {
        loop(task);
      }

      @Override
      public boolean accepts(MseInit init) {
        if (CodecMatch.playable(init.codecs(), codecs)) {
          return true;
        }
        endNow(MseMessages.unsupported(init.codecs()), 1003, "unsupported codec");
        return false;
      }
    };
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    drain();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ended = true;
    if (replay != null) {
      replay.stop();
    }
    endSession();
    if (registry.remove(this)) {
      stream.leave(this);
      stream.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    channel.close(); // a viewer going away (reset) or a malformed frame: nothing to log per viewer
    if (!(cause instanceof IOException)) {
      MseViewers.LOG.debug("{}: MSE viewer closed: {}", stream.key(), cause.toString());
    }
  }

  // --- called by the stream, from any thread -------------------------------------------------

  /** Start at the latest keyframe: init, the GOP burst, then {@code live}. */
  void start(MseStream.Start start) {
    loop(
        () -> {
          if (!joinedLive || !startInit(start.init())) {
            return;
          }
          for (Fragment f : start.gop()) {
            queue.media(f);
            drain(); // the burst goes to the socket as fast as it takes it; only the rest waits in
            // the queue
          }
          queue.control(new ViewerQueue.Text(MseMessages.live()));
          drain();
        });
  }

  /** A new init segment (the camera is back, or changed its configuration). */
  void init(MseInit init) {
    loop(
        () -> {
          if (joinedLive && startInit(init)) {
            drain();
          }
        });
  }

  void media(Fragment f) {
    loop(
        () -> {
          if (f.init() == initId) {
            queue.media(f);
            drain();
          }
        });
  }

  void offline() {
    loop(
        () -> {
          if (!toldOffline && joinedLive) {
            toldOffline = true;
            send(MseMessages.offline());
          }
        });
  }

  void online() {
    loop(
        () -> {
          if (joinedLive) {
            backOnline();
            drain();
          }
        });
  }

  /** An administrator's disconnect: the event, then close 1008 with the reason. */
  void disconnect() {
    endSession(); // off the list at once; the goodbye follows on the event loop
    end(MseMessages.disconnected(), 1008, MseMessages.DISCONNECTED);
  }

  /**
   * The session ends because of its token (expired, refused, access revoked): the event, then close
   * 1008.
   */
  private void tokenEnded(Ending why) {
    endSession();
    end(MseMessages.ended(why), 1008, why.reason());
  }

  /** A fresh token from the client: checked off the event loop, the answer taken on it. */
  private void renew(String token) {
    ViewerSession s = session;
    if (tokens == null || s == null || s.lease() == null) {
      return; // auth off: nothing runs on a token
    }
    tokens
        .apply(token)
        .thenAccept(verdict -> loop(() -> TokenRenewal.apply(s, verdict, this::send)));
  }

  /** Sends a last event, closes with {@code code}. */
  void end(String json, int code, String reason) {
    loop(() -> endNow(json, code, reason));
  }

  // --- on the event loop -------------------------------------------------------------------------

  private boolean startInit(MseInit init) {
    if (!CodecMatch.playable(init.codecs(), codecs)) {
      endNow(MseMessages.unsupported(init.codecs()), 1003, "unsupported codec");
      return false;
    }
    backOnline();
    initId = init.id();
    queue.control(new ViewerQueue.Text(MseMessages.init(init.codecs())));
    queue.control(new ViewerQueue.Init(init));
    queue.awaitKeyframe();
    return true;
  }

  private void backOnline() {
    if (toldOffline) {
      toldOffline = false;
      queue.control(new ViewerQueue.Text(MseMessages.online()));
    }
  }

  private void loop(Runnable task) {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (!ended) {
                task.run();
              }
            });
  }

  private void drain() {
    boolean wrote = false;
    while (!ended && channel.isWritable()) {
      ViewerQueue.Item item = queue.poll();
      if (item == null) {
        break;
      }
      switch (item) {
        case ViewerQueue.Text t ->
            channel.write(new TextWebSocketFrame(t.json()), channel.voidPromise());
        case ViewerQueue.Init i -> {
          channel.write(new BinaryWebSocketFrame(i.init().share()), channel.voidPromise());
          counted(i.init().data().readableBytes());
        }
        case ViewerQueue.Media m -> {
          if (!firstMediaWritten) {
            firstMediaWritten = true;
            long opened = openedNanos;
            channel
                .write(new BinaryWebSocketFrame(m.fragment().share()))
                .addListener(
                    f -> {
                      if (f.isSuccess()) {
                        registry.firstFragmentWritten(System.nanoTime() - opened);
                      }
                    });
          } else {
            channel.write(new BinaryWebSocketFrame(m.fragment().share()), channel.voidPromise());
          }
          fragmentsSent++;
          registry.sent(m.fragment().size());
          latency.written(m.fragment());
          counted(m.fragment().size());
        }
        case ViewerQueue.Recorded r -> {
          channel.write(new BinaryWebSocketFrame(r.data().duplicate()), channel.voidPromise());
          registry.sent(r.data().readableBytes());
          counted(r.data().readableBytes());
        }
      }
      wrote = true;
    }
    if (wrote) {
      channel.flush();
      latency.flushed(channel);
    }
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    heldBytes = queue.bytes() + (out == null ? 0 : out.totalPendingWriteBytes());
    if (queue.isEmpty() && watchingRecording()) {
      replay.writable();
    }
  }

  private void counted(long bytes) {
    ViewerSession s = session;
    if (s != null) {
      s.sent(bytes);
    }
  }

  /** Gives back the viewer's place: once it is told goodbye it gets nothing more. */
  private void endSession() {
    ViewerSession s = session;
    if (s != null) {
      s.end();
    }
  }

  private void endNow(String json, int code, String reason) {
    if (ended) {
      return;
    }
    ended = true;
    endSession();
    if (json != null) {
      channel.write(
          new TextWebSocketFrame(Unpooled.copiedBuffer(json, StandardCharsets.UTF_8)),
          channel.voidPromise());
    }
    channel
        .writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
    // a viewer that reads nothing never completes that write: close anyway, soon
    channel
        .eventLoop()
        .schedule(
            () -> {
              channel.close();
            },
            2,
            TimeUnit.SECONDS);
  }

  // --- observation (tests, benchmarks, status) ---------------------------------------------------

  /** Media bytes held for this viewer: its queue plus what its channel has not written yet. */
  public long heldBytes() {
    return heldBytes;
  }

  public long fragmentsSent() {
    return fragmentsSent;
  }

  /** Fragments this viewer skipped (it was too slow). Read on any thread: approximate. */
  public long droppedFragments() {
    return queue.droppedFragments();
  }

  public String user() {
    return user;
  }

  /** The viewer's session (null before admission or if it was refused). */
  public ViewerSession session() {
    return session;
  }

  private static String remote(java.net.SocketAddress address) {
    if (address instanceof java.net.InetSocketAddress a && a.getAddress() != null) {
      return a.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }

  public MseStream stream() {
    return stream;
  }

  long openedNanos() {
    return openedNanos;
  }
}
