package io.camflow.delivery.rtsp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
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
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The RTSP server's two UDP ports, RTP and RTCP (consecutive, RTP even: what clients assume),
 * shared by every reader that plays over UDP and every publisher that sends over UDP. The RTP port
 * reads a publisher's packets from the client port its SETUP named, at its connection's address,
 * and nothing from anyone else; the RTCP port reads receivers' and senders' reports only as a sign
 * of life of the session they come from.
 */
final class UdpPorts implements AutoCloseable {

  private final Channel rtp;
  private final Channel rtcp;
  private final Map<InetSocketAddress, Runnable> listeners;
  private final Map<InetSocketAddress, Consumer<byte[]>> publishers;

  private UdpPorts(
      Channel rtp,
      Channel rtcp,
      Map<InetSocketAddress, Runnable> listeners,
      Map<InetSocketAddress, Consumer<byte[]>> publishers) {
    this.rtp = rtp;
    this.rtcp = rtcp;
    this.listeners = listeners;
    this.publishers = publishers;
  }

  /**
   * Binds {@code rtpPort} and {@code rtcpPort} on {@code address}; {@code rtpPort} 0: a free even
   * one and the port after it.
   */
  static UdpPorts bind(EventLoopGroup group, InetAddress address, int rtpPort, int rtcpPort) {
    Map<InetSocketAddress, Runnable> listeners = new ConcurrentHashMap<>();
    Map<InetSocketAddress, Consumer<byte[]>> publishers = new ConcurrentHashMap<>();
    Function<InetSocketAddress, Consumer<DatagramPacket>> toPublisher =
        sender -> {
          Consumer<byte[]> publisher = publishers.get(sender);
          return publisher == null
              ? null
              : p -> publisher.accept(ByteBufUtil.getBytes(p.content()));
        };
    Function<InetSocketAddress, Consumer<DatagramPacket>> signOfLife =
        sender -> {
          Runnable heard = listeners.get(sender);
          return heard == null ? null : p -> heard.run();
        };
    if (rtpPort != 0) {
      Channel first = open(group, address, rtpPort, toPublisher);
      try {
        return new UdpPorts(
            first, open(group, address, rtcpPort, signOfLife), listeners, publishers);
      } catch (RuntimeException e) {
        first.close().syncUninterruptibly();
        throw e;
      }
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      Channel first = open(group, address, 0, toPublisher);
      int port = ((InetSocketAddress) first.localAddress()).getPort();
      if (port % 2 == 0 && port < 65535) {
        try {
          return new UdpPorts(
              first, open(group, address, port + 1, signOfLife), listeners, publishers);
        } catch (RuntimeException taken) {
          // the next port is taken: another try
        }
      }
      first.close().syncUninterruptibly();
    }
    throw new IllegalStateException("no two consecutive free UDP ports for RTP and RTCP");
  }

  /** A bound UDP channel: what it reads goes to the receiver of its sender, if there is one. */
  private static Channel open(
      EventLoopGroup group,
      InetAddress address,
      int port,
      Function<InetSocketAddress, Consumer<DatagramPacket>> receiverOf) {
    return new Bootstrap()
        .group(group)
        .channel(NioDatagramChannel.class)
        .handler(
            new SimpleChannelInboundHandler<DatagramPacket>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                Consumer<DatagramPacket> receiver = receiverOf.apply(packet.sender());
                if (receiver != null) {
                  receiver.accept(packet);
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

  /**
   * Hands every datagram from {@code clientRtp} to the RTP port to {@code receiver} (on the port's
   * event loop), until {@link #forgetRtp}.
   *
   * @return false when another session receives from that address already
   */
  boolean listenRtp(InetSocketAddress clientRtp, Consumer<byte[]> receiver) {
    return publishers.putIfAbsent(clientRtp, receiver) == null;
  }

  void forgetRtp(InetSocketAddress clientRtp) {
    publishers.remove(clientRtp);
  }

  @Override
  public void close() {
    rtp.close().syncUninterruptibly();
    rtcp.close().syncUninterruptibly();
  }
}
