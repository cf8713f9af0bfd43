package io.camflow.picture;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * A decoded picture to a JPEG (FFmpeg's {@code mjpeg} encoder) or WebP ({@code libwebp}) file of
 * the asked size: scaled with swscale (area averaging when it shrinks, bicubic otherwise) to
 * full-range 4:2:0 for JPEG, limited-range for WebP. Everything native is made and freed within one
 * call.
 */
public final class PictureEncoder {

  /** libwebp's effort, 0–6: 2 makes a 1080p picture in tens of ms, little larger than at 4. */
  static final int WEBP_METHOD = 2;

  private PictureEncoder() {}

  /**
   * Encodes {@code frame} as {@code spec} asks.
   *
   * @return the file, and the size it has
   */
  public static Picture encode(AVFrame frame, PictureSpec spec, long captureMillis) {
    int[] size = spec.fit(frame.width(), frame.height());
    boolean jpeg = spec.format() == PictureFormat.JPEG;
    int pixelFormat = jpeg ? avutil.AV_PIX_FMT_YUVJ420P : avutil.AV_PIX_FMT_YUV420P;
    AVFrame scaled = avutil.av_frame_alloc();
    AVCodecContext encoder = null;
    AVPacket packet = avcodec.av_packet_alloc();
    SwsContext sws = null;
    try {
      scaled.width(size[0]);
      scaled.height(size[1]);
      scaled.format(pixelFormat);
      FrameDecoder.check(avutil.av_frame_get_buffer(scaled, 0), "picture buffer");
      boolean shrinks = size[0] < frame.width() || size[1] < frame.height();
      sws =
          swscale.sws_getContext(
              frame.width(),
              frame.height(),
              frame.format(),
              size[0],
              size[1],
              pixelFormat,
              shrinks ? swscale.SWS_AREA : swscale.SWS_BICUBIC,
              null,
              null,
              (DoublePointer) null);
      if (sws == null) {
        throw new IllegalStateException(
            "cannot scale " + frame.width() + "x" + frame.height() + " format " + frame.format());
      }
      swscale.sws_scale(
          sws, frame.data(), frame.linesize(), 0, frame.height(), scaled.data(), scaled.linesize());
      encoder = open(spec, size, pixelFormat);
      if (jpeg) {
        scaled.quality(encoder.global_quality());
      }
      scaled.pts(0);
      FrameDecoder.check(avcodec.avcodec_send_frame(encoder, scaled), "picture encoder");
      FrameDecoder.check(avcodec.avcodec_send_frame(encoder, null), "picture encoder");
      FrameDecoder.check(avcodec.avcodec_receive_packet(encoder, packet), "picture encoder");
      byte[] bytes = new byte[packet.size()];
      packet.data().get(bytes);
      return new Picture(bytes, spec.format(), size[0], size[1], captureMillis);
    } finally {
      if (sws != null) {
        swscale.sws_freeContext(sws);
      }
      if (encoder != null) {
        avcodec.avcodec_free_context(encoder);
      }
      avcodec.av_packet_free(packet);
      avutil.av_frame_free(scaled);
    }
  }

  private static AVCodecContext open(PictureSpec spec, int[] size, int pixelFormat) {
    boolean jpeg = spec.format() == PictureFormat.JPEG;
    AVCodec codec =
        jpeg
            ? avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_MJPEG)
            : avcodec.avcodec_find_encoder_by_name("libwebp");
    if (codec == null) {
      throw new IllegalStateException(
          "FFmpeg build has no " + (jpeg ? "mjpeg" : "libwebp") + " encoder");
    }
    AVCodecContext c = avcodec.avcodec_alloc_context3(codec);
    c.width(size[0]);
    c.height(size[1]);
    c.pix_fmt(pixelFormat);
    c.time_base(avutil.av_make_q(1, 25));
    c.thread_count(1);
    AVDictionary options = new AVDictionary(null);
    if (jpeg) {
      c.color_range(avutil.AVCOL_RANGE_JPEG);
      c.flags(c.flags() | avcodec.AV_CODEC_FLAG_QSCALE);
      c.global_quality(jpegQscale(spec.quality()) * avutil.FF_QP2LAMBDA);
    } else {
      c.compression_level(WEBP_METHOD);
      avutil.av_dict_set(options, "quality", Integer.toString(spec.quality()), 0);
    }
    int ret = avcodec.avcodec_open2(c, codec, options);
    avutil.av_dict_free(options);
    if (ret < 0) {
      avcodec.avcodec_free_context(c);
      throw new IllegalStateException("picture encoder: " + FrameDecoder.describe(ret));
    }
    return c;
  }

  /**
   * FFmpeg's JPEG quantizer scale for a quality of 1–100: 100 is 2 (the finest FFmpeg's encoder
   * makes without non-standard tables), 50 is 8, 1 is 31 (the coarsest).
   */
  static int jpegQscale(int quality) {
    return quality >= 50
        ? 2 + Math.round((100 - quality) * 6 / 50f)
        : 8 + Math.round((50 - quality) * 23 / 49f);
  }
}
