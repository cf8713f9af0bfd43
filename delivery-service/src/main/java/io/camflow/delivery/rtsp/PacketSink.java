package io.camflow.delivery.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Where one track of a reader's packets go: interleaved on its RTSP connection ({@link #tcp}) or as
 * UDP datagrams to the client's ports ({@link #udp}). A packet is the reader's header in front of
 * the stream's shared payload, which is never copied.
 */
interface PacketSink {

  /** Bytes to leave in front of the RTP header for the sink's framing. */
  int prefix();

  /** Sends one RTP packet: {@code head} is the prefix and the RTP header, then {@code payload}. */
  void rtp(byte[] head, byte[] payload);

  /** Sends an RTCP packet (a sender report) of {@code n} bytes. */
  void rtcp(byte[] report, int n);

  /** Whether the way out takes more now. */
  boolean writable();

  /** Hands what was written to the network. */
  void flush();

  /**
   * Interleaved on the RTSP connection (RFC 2326 10.12): {@code $}, channel, length, packet. A
   * frame's packets go out as one write of one composite buffer (their headers and the shared
   * payloads side by side), at {@link #flush}.
   */
  static PacketSink tcp(Channel connection, int rtpChannel) {
    return new PacketSink() {
      private CompositeByteBuf frame;

      @Override
      public int prefix() {
        return 4;
      }

      @Override
      public void rtp(byte[] head, byte[] payload) {
        int length = head.length - 4 + payload.length;
        head[0] = '$';
        head[1] = (byte) rtpChannel;
        head[2] = (byte) (length >>> 8);
        head[3] = (byte) length;
        pending().addComponent(true, Unpooled.wrappedBuffer(head));
        pending().addComponent(true, Unpooled.wrappedBuffer(payload));
      }

      @Override
      public void rtcp(byte[] report, int n) {
        ByteBuf b = Unpooled.buffer(4 + n);
        b.writeByte('$').writeByte(rtpChannel + 1).writeShort(n).writeBytes(report, 0, n);
        pending().addComponent(true, b);
      }

      private CompositeByteBuf pending() {
        if (frame == null) {
          frame = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        }
        return frame;
      }

      @Override
      public boolean writable() {
        return connection.isWritable();
      }

      @Override
      public void flush() {
        if (frame != null) {
          connection.writeAndFlush(frame, connection.voidPromise());
          frame = null;
        }
      }
    };
  }

  /**
   * UDP datagrams from the server's RTP and RTCP ports to the client's: only ever to the address
   * the RTSP connection comes from (a SETUP cannot aim the stream at another host).
   */
  static PacketSink udp(UdpPorts ports, InetSocketAddress clientRtp, InetSocketAddress clientRtcp) {
    return new PacketSink() {
      @Override
      public int prefix() {
        return 0;
      }

      @Override
      public void rtp(byte[] head, byte[] payload) {
        ports
            .rtp()
            .writeAndFlush(
                new DatagramPacket(Unpooled.wrappedBuffer(head, payload), clientRtp),
                ports.rtp().voidPromise());
      }

      @Override
      public void rtcp(byte[] report, int n) {
        ports
            .rtcp()
            .writeAndFlush(
                new DatagramPacket(Unpooled.copiedBuffer(report, 0, n), clientRtcp),
                ports.rtcp().voidPromise());
      }

      @Override
      public boolean writable() {
        return ports.rtp().isWritable();
      }

      @Override
      public void flush() {
        // every datagram went out with its own flush
      }
    };
  }
}
