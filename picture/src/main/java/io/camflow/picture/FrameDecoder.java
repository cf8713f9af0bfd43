package io.camflow.picture;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * Video access units in, decoded pictures out, with FFmpeg's H.264 or H.265 decoder: one thread,
 * the fast flags (what a still picture can do without). A keyframe's parameter sets ({@code
 * codecConfig}) go in before it, so decoding may begin at any keyframe of a topic. Pictures come
 * out in presentation order, their {@code pts} the access unit's.
 *
 * <p>Holds native memory: used by one thread, always {@link #close()}d.
 */
public final class FrameDecoder implements AutoCloseable {

  static {
    // a broken picture would print a line per slice on stderr: the caller says what failed
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
  }

  private final Codec codec;
  private AVCodecContext context;
  private AVPacket packet = avcodec.av_packet_alloc();
  private AVFrame frame = avutil.av_frame_alloc();

  public FrameDecoder(Codec codec) {
    if (!codec.isVideo()) {
      throw new IllegalArgumentException("not video: " + codec.id());
    }
    this.codec = codec;
    AVCodec decoder =
        avcodec.avcodec_find_decoder(
            codec == Codec.H264 ? avcodec.AV_CODEC_ID_H264 : avcodec.AV_CODEC_ID_HEVC);
    if (decoder == null) {
      close();
      throw new IllegalStateException("FFmpeg build has no " + codec.id() + " decoder");
    }
    context = avcodec.avcodec_alloc_context3(decoder);
    context.thread_count(1);
    context.flags2(context.flags2() | avcodec.AV_CODEC_FLAG2_FAST);
    int ret = avcodec.avcodec_open2(context, decoder, (AVDictionary) null);
    if (ret < 0) {
      close();
      throw new IllegalStateException(codec.id() + " decoder: " + describe(ret));
    }
  }

  public Codec codec() {
    return codec;
  }

  /**
   * Whether the decoder skips the deblocking filter from the next unit on: about a fifth of H.264's
   * decoding time, for pictures that are scaled down anyway (the scaler's averaging hides the block
   * edges the filter would smooth).
   */
  public void skipLoopFilter(boolean skip) {
    context.skip_loop_filter(skip ? avcodec.AVDISCARD_ALL : avcodec.AVDISCARD_DEFAULT);
  }

  /**
   * Decodes {@code au} and hands each picture it completes to {@code pictures} (valid during the
   * call only: take a reference with {@code av_frame_ref} to keep it).
   *
   * @throws BadPictureException if the decoder refuses the access unit
   */
  public void decode(AccessUnit au, Consumer<AVFrame> pictures) {
    if (au.codec() != codec) {
      throw new IllegalArgumentException("a " + au.codec().id() + " unit to a " + codec.id());
    }
    byte[] config = au.keyframe() && au.codecConfig() != null ? au.codecConfig() : new byte[0];
    check(avcodec.av_new_packet(packet, config.length + au.data().length), "packet");
    BytePointer data = packet.data();
    data.position(0).put(config);
    data.position(config.length).put(au.data());
    data.position(0);
    packet.pts(au.pts());
    packet.dts(au.dts());
    if (au.keyframe()) {
      packet.flags(packet.flags() | avcodec.AV_PKT_FLAG_KEY);
    }
    int sent = avcodec.avcodec_send_packet(context, packet);
    avcodec.av_packet_unref(packet);
    if (sent < 0 && sent != avutil.AVERROR_EAGAIN()) {
      throw new BadPictureException(codec.id() + " decoder refused a unit: " + describe(sent));
    }
    receive(pictures);
  }

  /** Hands over the pictures the decoder still holds (reordered ones): the run is complete. */
  public void flush(Consumer<AVFrame> pictures) {
    avcodec.avcodec_send_packet(context, null);
    receive(pictures);
    avcodec.avcodec_flush_buffers(context);
  }

  private void receive(Consumer<AVFrame> pictures) {
    while (true) {
      int got = avcodec.avcodec_receive_frame(context, frame);
      if (got == avutil.AVERROR_EAGAIN() || got == avutil.AVERROR_EOF()) {
        return;
      }
      if (got < 0) {
        throw new BadPictureException(codec.id() + " decoder failed: " + describe(got));
      }
      try {
        pictures.accept(frame);
      } finally {
        avutil.av_frame_unref(frame);
      }
    }
  }

  static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException(what + " failed: " + describe(ret));
    }
  }

  static String describe(int ret) {
    try (BytePointer text = new BytePointer(128)) {
      avutil.av_strerror(ret, text, 128);
      return text.getString() + " (" + ret + ")";
    }
  }

  /** Frees every native resource; idempotent. */
  @Override
  public void close() {
    if (context != null) {
      avcodec.avcodec_free_context(context);
      context = null;
    }
    if (packet != null) {
      avcodec.av_packet_free(packet);
      packet = null;
    }
    if (frame != null) {
      avutil.av_frame_free(frame);
      frame = null;
    }
  }
}
