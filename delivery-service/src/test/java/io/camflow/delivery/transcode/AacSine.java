package io.camflow.delivery.transcode;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Real AAC-LC frames of a sine, made by FFmpeg's own AAC encoder, as ingest would publish them: one
 * raw frame per access unit, the AudioSpecificConfig as codec configuration, pts in samples.
 */
public final class AacSine {

  private AacSine() {}

  /**
   * {@code seconds} of a {@code hz} sine at {@code amplitude} (0..1), frames 1024 samples apart
   * from {@code firstPts}.
   */
  public static List<AccessUnit> frames(
      int sampleRate, int channels, double hz, double amplitude, double seconds, long firstPts) {
    AVCodec aac = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_AAC);
    AVCodecContext enc = avcodec.avcodec_alloc_context3(aac);
    enc.sample_rate(sampleRate);
    avutil.av_channel_layout_default(enc.ch_layout(), channels);
    enc.sample_fmt(avutil.AV_SAMPLE_FMT_FLTP);
    enc.bit_rate(64_000L * channels);
    enc.time_base(avutil.av_make_q(1, sampleRate));
    enc.flags(
        enc.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER); // the AudioSpecificConfig as extradata
    check(avcodec.avcodec_open2(enc, aac, (AVDictionary) null), "AAC encoder");
    byte[] asc = new byte[enc.extradata_size()];
    enc.extradata().get(asc);
    int frameSize = enc.frame_size();
    AVFrame frame = avutil.av_frame_alloc();
    frame.format(avutil.AV_SAMPLE_FMT_FLTP);
    avutil.av_channel_layout_default(frame.ch_layout(), channels);
    frame.sample_rate(sampleRate);
    frame.nb_samples(frameSize);
    check(avutil.av_frame_get_buffer(frame, 0), "frame");
    AVPacket packet = avcodec.av_packet_alloc();
    List<byte[]> encoded = new ArrayList<>();
    long total = Math.round(seconds * sampleRate);
    float[] samples = new float[frameSize];
    for (long start = 0; start < total; start += frameSize) {
      check(avutil.av_frame_make_writable(frame), "frame");
      for (int i = 0; i < frameSize; i++) {
        samples[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * (start + i) / sampleRate));
      }
      for (int c = 0; c < channels; c++) {
        new FloatPointer(frame.data(c)).put(samples);
      }
      frame.pts(start);
      check(avcodec.avcodec_send_frame(enc, frame), "encode");
      drain(enc, packet, encoded);
    }
    check(avcodec.avcodec_send_frame(enc, null), "flush");
    drain(enc, packet, encoded);
    avcodec.av_packet_free(packet);
    avutil.av_frame_free(frame);
    avcodec.avcodec_free_context(enc);
    List<AccessUnit> units = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      long pts = firstPts + (long) i * frameSize;
      units.add(new AccessUnit(1, Codec.AAC, pts, pts, sampleRate, false, encoded.get(i), asc));
    }
    return units;
  }

  private static void drain(AVCodecContext enc, AVPacket packet, List<byte[]> out) {
    while (avcodec.avcodec_receive_packet(enc, packet) == 0) {
      byte[] data = new byte[packet.size()];
      packet.data().get(data);
      out.add(data);
      avcodec.av_packet_unref(packet);
    }
  }

  static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException(what + " failed: " + ret);
    }
  }
}
