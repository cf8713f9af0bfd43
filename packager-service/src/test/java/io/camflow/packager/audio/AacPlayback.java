package io.camflow.packager.audio;

import io.camflow.media.AccessUnit;
import io.camflow.testsupport.DecodedAudio;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * AAC frames played back by FFmpeg's AAC decoder, configured only from the frames'
 * AudioSpecificConfig as a player configures it from an init segment: the first channel at the
 * decoder's rate.
 */
final class AacPlayback {

  private AacPlayback() {}

  static DecodedAudio of(List<AccessUnit> frames) {
    AVCodec aac = avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_AAC);
    AVCodecContext dec = avcodec.avcodec_alloc_context3(aac);
    byte[] asc = frames.getFirst().codecConfig();
    BytePointer extradata =
        new BytePointer(avutil.av_mallocz(asc.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE));
    extradata.put(asc);
    dec.extradata(extradata);
    dec.extradata_size(asc.length);
    check(avcodec.avcodec_open2(dec, aac, (AVDictionary) null), "AAC decoder");
    AVPacket packet = avcodec.av_packet_alloc();
    AVFrame frame = avutil.av_frame_alloc();
    float[] out = new float[frames.size() * 1024];
    int n = 0;
    int rate = 0;
    for (AccessUnit au : frames) {
      check(avcodec.av_new_packet(packet, au.data().length), "packet");
      packet.data().put(au.data());
      check(avcodec.avcodec_send_packet(dec, packet), "decode");
      avcodec.av_packet_unref(packet);
      while (avcodec.avcodec_receive_frame(dec, frame) == 0) {
        if (frame.format() != avutil.AV_SAMPLE_FMT_FLTP) {
          throw new IllegalStateException("unexpected sample format " + frame.format());
        }
        rate = frame.sample_rate();
        int count = frame.nb_samples();
        if (n + count > out.length) {
          out = Arrays.copyOf(out, (n + count) * 2);
        }
        new FloatPointer(frame.data(0)).get(out, n, count);
        n += count;
        avutil.av_frame_unref(frame);
      }
    }
    avutil.av_frame_free(frame);
    avcodec.av_packet_free(packet);
    avcodec.avcodec_free_context(dec);
    return new DecodedAudio(Arrays.copyOf(out, n), rate);
  }

  private static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException(what + " failed: " + ret);
    }
  }
}
