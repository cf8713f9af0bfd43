package io.camflow.delivery.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A {@code $}-framed binary packet on the RTSP connection (RFC 2326 10.12): RTP or RTCP of the
 * channel a SETUP gave it. The receiver releases it.
 */
public final class Interleaved extends DefaultByteBufHolder {

  private final int channel;

  public Interleaved(int channel, ByteBuf data) {
    super(data);
    this.channel = channel;
  }

  public int channel() {
    return channel;
  }

  @Override
  public ByteBufHolder replace(ByteBuf content) {
    return new Interleaved(channel, content);
  }
}
