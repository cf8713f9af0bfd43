package io.camflow.delivery.rtsp;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.sessions.ViewerSessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camflow's RTSP server (docs/rtsp.md): {@code rtsp://host:8554/<camera>/<stream>} re-serves every
 * stream to VLC, FFmpeg, GStreamer and NVRs, from the same access unit feed and packetized frames
 * as WebRTC ({@link io.camflow.delivery.whep.RtcStream}): the camera sees one connection, ingest's,
 * however many read it here. Its own event loops (as many as cores) carry the connections; a
 * connection's requests and its reader's packets are handled on one of them. With the HTTPS port's
 * certificate it serves RTSPS too, {@code rtsps://host:8322/...}: the same connections behind TLS,
 * under the same connection limit.
 */
public final class RtspServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);

  /** What the server counted (metrics). */
  public static final class Counters {
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong skips = new AtomicLong();

    void sent(long n) {
      bytes.addAndGet(n);
    }

    void skipped() {
      skips.incrementAndGet();
    }

    /** Bytes sent to readers (RTP and RTCP, with their TCP framing). */
    public long bytesSent() {
      return bytes.get();
    }

    /** Times a reader skipped to the next keyframe because it did not keep up. */
    public long skips() {
      return skips.get();
    }

    void countMalformed() {
      malformed.incrementAndGet();
    }

    /** Connections open now. */
    public int open() {
      return open.get();
    }

    /** Connections closed at once: over {@link RtspSettings#maxConnections()}. */
    public long refused() {
      return refused.get();
    }

    /** Requests answered 4xx/5xx because they were not RTSP (the connection then closes). */
    public long malformed() {
      return malformed.get();
    }
  }

  /** How long a TLS handshake may take before its connection is closed. */
  static final long HANDSHAKE_SECONDS = 10;

  /** Why a SETUP over RTSPS that asks for UDP is answered 461. */
  static final String INTERLEAVED_OVER_TLS =
      "over RTSPS, RTP goes inside the TLS connection: interleaved"
          + " (RTP/AVP/TCP;unicast;interleaved=0-1)";

  private final RtspSettings settings;
  private final StreamHubs streams;
  private final Access access;
  private final ViewerSessions sessions;
  private final Counters counters = new Counters();
  private final EventLoopGroup group;
  private final Channel listening;
  private final Channel listeningTls;
  private final UdpPorts udp;

  /** Replays (each a Kafka consumer of its own) open at once; more are answered 503. */
  static final int MAX_REPLAYS = 32;

  private final java.util.concurrent.Semaphore replays =
      new java.util.concurrent.Semaphore(MAX_REPLAYS);
  private final RtspPublishers publishers;

  private RtspServer(
      RtspSettings settings,
      InetSocketAddress bind,
      StreamHubs streams,
      Access access,
      ViewerSessions sessions,
      RtspPublishers publishers,
      RtspTls tls) {
    this.settings = settings;
    this.publishers = publishers;
    this.streams = streams;
    this.access = access;
    this.sessions = sessions;
    this.group = new NioEventLoopGroup(0, new DefaultThreadFactory("camflow-rtsp", true));
    Channel plain = null;
    Channel secure = null;
    UdpPorts ports = null;
    try {
      plain = listen(bind, null);
      if (tls != null && settings.tls()) {
        secure = listen(new InetSocketAddress(bind.getAddress(), settings.tlsPort()), tls);
      }
      if (settings.udp()) {
        ports = UdpPorts.bind(group, bind.getAddress(), settings.rtpPort(), settings.rtpPort() + 1);
      }
    } catch (RuntimeException e) {
      for (Channel c : new Channel[] {plain, secure}) {
        if (c != null) {
          c.close().syncUninterruptibly();
        }
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    this.listening = plain;
    this.listeningTls = secure;
    this.udp = ports;
    LOG.info(
        "RTSP on {}:{}: rtsp://<host>:{}/<camera>/<stream>; {}",
        bind.getAddress().getHostAddress(),
        port(),
        port(),
        udp == null
            ? "RTP over TCP only"
            : "RTP over TCP or UDP (RTP " + udp.rtpPort() + ", RTCP " + udp.rtcpPort() + ")");
    if (listeningTls != null) {
      LOG.info(
          "RTSPS on {}:{}: rtsps://<host>:{}/<camera>/<stream>; RTP inside the TLS connection"
              + " only; HTTPS's certificate (SHA-256 {})",
          bind.getAddress().getHostAddress(),
          rtspsPort(),
          rtspsPort(),
          tls.fingerprint());
    }
  }

  /**
   * A listening channel whose connections share the limit and get the RTSP pipeline; with {@code
   * tls}, TLS first (server side, the handshake bounded).
   */
  private Channel listen(InetSocketAddress address, RtspTls tls) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(settings.highWaterBytes() / 2, settings.highWaterBytes()))
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                if (counters.open.incrementAndGet() > settings.maxConnections()) {
                  counters.open.decrementAndGet();
                  counters.refused.incrementAndGet();
                  ch.close();
                  return;
                }
                ch.closeFuture().addListener(f -> counters.open.decrementAndGet());
                if (tls != null) {
                  SslHandler ssl = tls.context().newHandler(ch.alloc());
                  ssl.setHandshakeTimeout(HANDSHAKE_SECONDS, TimeUnit.SECONDS);
                  ch.pipeline().addLast(ssl);
                }
                long idle = settings.sessionTimeout().toMillis();
                ch.pipeline()
                    .addLast(new IdleStateHandler(idle, idle / 2, 0, TimeUnit.MILLISECONDS))
                    .addLast(new RtspFraming())
                    .addLast(new RtspConnection(RtspServer.this));
              }
            })
        .bind(address)
        .syncUninterruptibly()
        .channel();
  }

  /**
   * Binds the port and serves, without RTSPS.
   *
   * @param publishers what taking published streams needs; null: ANNOUNCE is answered 501
   */
  public static RtspServer start(
      RtspSettings settings,
      InetSocketAddress bind,
      StreamHubs streams,
      Access access,
      ViewerSessions sessions,
      RtspPublishers publishers) {
    return start(settings, bind, streams, access, sessions, publishers, null);
  }

  /**
   * Binds the ports and serves: RTSP, and RTSPS on {@link RtspSettings#tlsPort()} when {@code tls}
   * is given and {@link RtspSettings#tls()} is on.
   *
   * @param publishers what taking published streams needs; null: ANNOUNCE is answered 501
   * @param tls the HTTPS port's certificate and key, presented on the RTSPS port; null: no RTSPS
   */
  public static RtspServer start(
      RtspSettings settings,
      InetSocketAddress bind,
      StreamHubs streams,
      Access access,
      ViewerSessions sessions,
      RtspPublishers publishers,
      RtspTls tls) {
    return new RtspServer(settings, bind, streams, access, sessions, publishers, tls);
  }

  /**
   * Whether a connection came in on the RTSPS port: its RTP must go inside it (interleaved), as UDP
   * would carry the media in the clear.
   */
  static boolean isTls(Channel connection) {
    return connection.pipeline().get(SslHandler.class) != null;
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listening.localAddress()).getPort();
  }

  /** The bound RTSPS port, -1 without RTSPS. */
  public int rtspsPort() {
    return listeningTls == null ? -1 : ((InetSocketAddress) listeningTls.localAddress()).getPort();
  }

  public Counters counters() {
    return counters;
  }

  /** The UDP ports, or null when readers take TCP only. */
  UdpPorts udp() {
    return udp;
  }

  /** The UDP port RTP leaves from, -1 without UDP. */
  public int rtpPort() {
    return udp == null ? -1 : udp.rtpPort();
  }

  RtspSettings settings() {
    return settings;
  }

  StreamHubs streams() {
    return streams;
  }

  Access access() {
    return access;
  }

  ViewerSessions sessions() {
    return sessions;
  }

  /** The places for replays open at once ({@link #MAX_REPLAYS}). */
  java.util.concurrent.Semaphore replays() {
    return replays;
  }

  /** What publishing needs, null when it is off. */
  RtspPublishers publishers() {
    return publishers;
  }

  /** Closes the ports and every connection (their sessions end). */
  @Override
  public void close() {
    listening.close().syncUninterruptibly();
    if (listeningTls != null) {
      listeningTls.close().syncUninterruptibly();
    }
    if (udp != null) {
      udp.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
