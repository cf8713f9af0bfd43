package io.camflow.delivery.transcode;

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
 * Opus packets decoded by an implementation other than the encoder's: FFmpeg's native {@code opus}
 * decoder (not libopus), as a receiver without the sender's SDP knowledge would (48 kHz, stereo
 * out). The first channel, and what can be told about it.
 */
record OpusPlayback(float[] samples) {

  static OpusPlayback of(List<OpusPacket> packets) {
    AVCodec opus = avcodec.avcodec_find_decoder_by_name("opus");
    AVCodecContext dec = avcodec.avcodec_alloc_context3(opus);
    dec.sample_rate(48_000);
    avutil.av_channel_layout_default(dec.ch_layout(), 2);
    AacSine.check(avcodec.avcodec_open2(dec, opus, (AVDictionary) null), "opus decoder");
    AVPacket packet = avcodec.av_packet_alloc();
    AVFrame frame = avutil.av_frame_alloc();
    float[] out = new float[packets.size() * 960 * 2];
    int n = 0;
    for (OpusPacket p : packets) {
      AacSine.check(avcodec.av_new_packet(packet, p.data().length), "packet");
      packet.data().put(p.data());
      AacSine.check(avcodec.avcodec_send_packet(dec, packet), "decode");
      avcodec.av_packet_unref(packet);
      while (avcodec.avcodec_receive_frame(dec, frame) == 0) {
        if (frame.format() != avutil.AV_SAMPLE_FMT_FLTP) {
          throw new IllegalStateException("unexpected sample format " + frame.format());
        }
        int count = frame.nb_samples();
        if (n + count > out.length) {
          out = java.util.Arrays.copyOf(out, (n + count) * 2);
        }
        new FloatPointer(frame.data(0)).get(out, n, count);
        n += count;
        avutil.av_frame_unref(frame);
      }
    }
    avutil.av_frame_free(frame);
    avcodec.av_packet_free(packet);
    avcodec.avcodec_free_context(dec);
    return new OpusPlayback(java.util.Arrays.copyOf(out, n));
  }

  double seconds() {
    return samples.length / 48_000.0;
  }

  /** Root mean square of the samples from {@code fromSecond} to {@code toSecond}. */
  double rms(double fromSecond, double toSecond) {
    int a = (int) (fromSecond * 48_000);
    int b = Math.min(samples.length, (int) (toSecond * 48_000));
    double sum = 0;
    for (int i = a; i < b; i++) {
      sum += samples[i] * samples[i];
    }
    return Math.sqrt(sum / Math.max(1, b - a));
  }

  /** The frequency by upward zero crossings between the two times. */
  double hz(double fromSecond, double toSecond) {
    int a = (int) (fromSecond * 48_000);
    int b = Math.min(samples.length, (int) (toSecond * 48_000));
    int first = -1;
    int last = -1;
    int crossings = 0;
    for (int i = a + 1; i < b; i++) {
      if (samples[i - 1] < 0 && samples[i] >= 0) {
        if (first < 0) {
          first = i;
        } else {
          crossings++;
        }
        last = i;
      }
    }
    return crossings == 0 ? 0 : crossings * 48_000.0 / (last - first);
  }
}
