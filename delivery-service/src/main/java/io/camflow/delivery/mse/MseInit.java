package io.camflow.delivery.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An init segment as MSE viewers get it: its id, RFC 6381 codecs and shared bytes (as {@link
 * Fragment}).
 */
public record MseInit(long id, String codecs, ByteBuf data) {

  public static MseInit of(long id, String codecs, byte[] bytes) {
    return new MseInit(id, codecs, Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)));
  }

  public ByteBuf share() {
    return data.duplicate();
  }
}
