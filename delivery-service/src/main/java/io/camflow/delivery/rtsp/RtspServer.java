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
 * connection's requests and its reader's packets are handled on one of them.
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

  private final RtspSettings settings;
  private final StreamHubs streams;
  private final Access access;
  private final ViewerSessions sessions;
  private final Counters counters = new Counters();
  private final EventLoopGroup group;
  private final Channel listening;
  private final UdpPorts udp;

  private RtspServer(
      RtspSettings settings,
      InetSocketAddress bind,
      StreamHubs streams,
      Access access,
      ViewerSessions sessions) {
    this.settings = settings;
    this.streams = streams;
    this.access = access;
    this.sessions = sessions;
    this.group = new NioEventLoopGroup(0, new DefaultThreadFactory("camflow-rtsp", true));
    RtspServer self = this;
    try {
      this.listening =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(
                      settings.highWaterBytes() / 2, settings.highWaterBytes()))
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
                      long idle = settings.sessionTimeout().toMillis();
                      ch.pipeline()
                          .addLast(new IdleStateHandler(idle, idle / 2, 0, TimeUnit.MILLISECONDS))
                          .addLast(new RtspFraming())
                          .addLast(new RtspConnection(self));
                    }
                  })
              .bind(bind)
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    UdpPorts ports = null;
    if (settings.udp()) {
      try {
        ports = UdpPorts.bind(group, bind.getAddress(), settings.rtpPort(), settings.rtpPort() + 1);
      } catch (RuntimeException e) {
        listening.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        throw e;
      }
    }
    this.udp = ports;
    LOG.info(
        "RTSP on {}:{}: rtsp://<host>:{}/<camera>/<stream>; {}",
        bind.getAddress().getHostAddress(),
        port(),
        port(),
        udp == null
            ? "RTP over TCP only"
            : "RTP over TCP or UDP (RTP " + udp.rtpPort() + ", RTCP " + udp.rtcpPort() + ")");
  }

  /** Binds the port and serves. */
  public static RtspServer start(
      RtspSettings settings,
      InetSocketAddress bind,
      StreamHubs streams,
      Access access,
      ViewerSessions sessions) {
    return new RtspServer(settings, bind, streams, access, sessions);
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) listening.localAddress()).getPort();
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

  /** Closes the port and every connection (their sessions end). */
  @Override
  public void close() {
    listening.close().syncUninterruptibly();
    if (udp != null) {
      udp.close();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
