package io.camflow.delivery.rtsp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RTSP server's two UDP ports, RTP and RTCP (consecutive, RTP even: what clients assume),
 * shared by every reader that plays over UDP. Nothing read on them is forwarded: the RTP port reads
 * nothing, the RTCP port reads receivers' reports only as a sign of life of the reader they come
 * from.
 */
final class UdpPorts implements AutoCloseable {

  private final Channel rtp;
  private final Channel rtcp;
  private final Map<InetSocketAddress, Runnable> listeners;

  private UdpPorts(Channel rtp, Channel rtcp, Map<InetSocketAddress, Runnable> listeners) {
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.listeners = listeners;
  }

  /**
   * Binds {@code rtpPort} and {@code rtcpPort} on {@code address}; {@code rtpPort} 0: a free even
   * one and the port after it.
   */
  static UdpPorts bind(EventLoopGroup group, InetAddress address, int rtpPort, int rtcpPort) {
    Map<InetSocketAddress, Runnable> listeners = new ConcurrentHashMap<>();
    if (rtpPort != 0) {
      Channel first = open(group, address, rtpPort, null);
      try {
        return new UdpPorts(first, open(group, address, rtcpPort, listeners), listeners);
      } catch (RuntimeException e) {
        first.close().syncUninterruptibly();
        throw e;
      }
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      Channel first = open(group, address, 0, null);
      int port = ((InetSocketAddress) first.localAddress()).getPort();
      if (port % 2 == 0 && port < 65535) {
        try {
          return new UdpPorts(first, open(group, address, port + 1, listeners), listeners);
        } catch (RuntimeException taken) {
          // the next port is taken: another try
        }
      }
      first.close().syncUninterruptibly();
    }
    throw new IllegalStateException("no two consecutive free UDP ports for RTP and RTCP");
  }

  /** A bound UDP channel; {@code listeners} null: what it reads is dropped. */
  private static Channel open(
      EventLoopGroup group,
      InetAddress address,
      int port,
      Map<InetSocketAddress, Runnable> listeners) {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(
            new SimpleChannelInboundHandler<DatagramPacket>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                Runnable heard = listeners == null ? null : listeners.get(packet.sender());
                if (heard != null) {
                  heard.run();
                }
              }
            })
        .bind(new InetSocketAddress(address, port))
        .syncUninterruptibly()
        .channel();
  }

  Channel rtp() {
    return rtp;
  }

  Channel rtcp() {
    return rtcp;
  }

  int rtpPort() {
    return ((InetSocketAddress) rtp.localAddress()).getPort();
  }

  int rtcpPort() {
    return ((InetSocketAddress) rtcp.localAddress()).getPort();
  }

  /**
   * Calls {@code heard} whenever a datagram comes from {@code clientRtcp}, until {@link #forget}.
   */
  void listen(InetSocketAddress clientRtcp, Runnable heard) {
    listeners.put(clientRtcp, heard);
  }

  void forget(InetSocketAddress clientRtcp) {
    listeners.remove(clientRtcp);
  }

  @Override
  public void close() {
    rtp.close().syncUninterruptibly();
    rtcp.close().syncUninterruptibly();
  }
}
