package io.camflow.delivery.transcode;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * AAC frames in, Opus packets out, with FFmpeg: the AAC decoder, swresample to 48 kHz interleaved
 * float, and libopus (linked into bytedeco's FFmpeg build) in 20 ms frames. Mono stays mono, more
 * than two channels are mixed down to stereo.
 *
 * <p>Time: the Opus packets continue the AAC's pts scaled to 48 kHz, counted in samples while the
 * AAC arrives without gaps; a gap or jump of more than {@link #RESYNC_SAMPLES} (a lost frame, a new
 * camera session) drops what is buffered and starts again from the new AAC pts. The wall clock of a
 * packet is the capture time of the latest AAC frame moved by the pts difference.
 *
 * <p>Holds native memory: one per stream while needed, used by one thread, always {@link
 * #close()}d.
 */
public final class AacToOpus implements AutoCloseable {

  /** 20 ms at 48 kHz: the frame WebRTC receivers expect by default (ptime 20). */
  public static final int FRAME_SAMPLES = 960;

  static final int RESYNC_SAMPLES = 4_800;
  private static final AtomicInteger OPEN = new AtomicInteger();

  static {
    // FFmpeg would print a line per bad frame on stderr; refusals are counted and logged by
    // OpusTranscoding
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
  }

  private final byte[] audioSpecificConfig;
  private final String encoderName;
  private AVCodecContext decoder;
  private AVCodecContext encoder;
  private SwrContext resampler;
  private AVAudioFifo fifo;
  private AVPacket packet = avcodec.av_packet_alloc();
  private AVFrame decoded = avutil.av_frame_alloc();
  private AVFrame resampled = avutil.av_frame_alloc();
  private AVFrame frame = avutil.av_frame_alloc();
  private int resampledCapacity;
  private int inRate;
  private int inFormat = -1;
  private int inChannels;
  private boolean anchored;
  private long nextFramePts;
  private long lastInPts;
  private long lastInCapture;
  private long lastInReceived;
  private boolean closed;

  /**
   * @param audioSpecificConfig the stream's AAC configuration (an AAC access unit's {@code
   *     codecConfig})
   */
  public AacToOpus(byte[] audioSpecificConfig) {
    if (audioSpecificConfig == null || audioSpecificConfig.length < 2) {
      throw new IllegalArgumentException("AAC needs its AudioSpecificConfig (2 bytes or more)");
    }
    this.audioSpecificConfig = audioSpecificConfig.clone();
    AVCodec libopus = avcodec.avcodec_find_encoder_by_name("libopus");
    this.encoderName = libopus != null ? "libopus" : "opus";
    OPEN.incrementAndGet();
    try {
      decoder = openDecoder(audioSpecificConfig);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Transcoders not closed yet, in this JVM (their native memory is held). */
  public static int open() {
    return OPEN.get();
  }

  /**
   * Which FFmpeg encoder makes the Opus: {@code libopus}, or FFmpeg's own {@code opus} if the build
   * lacks it.
   */
  public String encoderName() {
    return encoderName;
  }

  /** Whether {@code config} is the configuration this transcoder was made for. */
  public boolean decodes(byte[] config) {
    return java.util.Arrays.equals(audioSpecificConfig, config);
  }

  /**
   * The Opus packets that are complete once {@code aac} is added (none, one or several: an AAC
   * frame is 1024 samples, an Opus frame 960 at 48 kHz).
   *
   * @param captureMicros wall clock of the frame's first sample
   * @param receivedMicros when ingest had the frame, carried on
   * @throws BadAudioFrameException if the decoder refuses the frame (nothing else changes)
   */
  public List<OpusPacket> transcode(AccessUnit aac, long captureMicros, long receivedMicros)
      throws BadAudioFrameException {
    if (closed) {
      throw new IllegalStateException("transcoder closed");
    }
    if (aac.codec() != Codec.AAC) {
      throw new IllegalArgumentException("not AAC: " + aac.codec().id());
    }
    long pts = Math.multiplyExact(aac.pts(), (long) OpusPacket.CLOCK_RATE) / aac.timebase();
    long expected = nextFramePts + (fifo == null ? 0 : avutil.av_audio_fifo_size(fifo));
    if (!anchored || Math.abs(pts - expected) > RESYNC_SAMPLES) {
      if (fifo != null) {
        avutil.av_audio_fifo_reset(fifo);
      }
      nextFramePts = pts;
      anchored = true;
    }
    lastInPts = pts;
    lastInCapture = captureMicros;
    lastInReceived = receivedMicros;
    List<OpusPacket> out = new ArrayList<>(2);
    check(avcodec.av_new_packet(packet, aac.data().length), "packet");
    packet.data().put(aac.data());
    int sent = avcodec.avcodec_send_packet(decoder, packet);
    avcodec.av_packet_unref(packet);
    if (sent < 0) {
      throw new BadAudioFrameException("AAC decoder refused the frame: " + describe(sent));
    }
    while (true) {
      int got = avcodec.avcodec_receive_frame(decoder, decoded);
      if (got == avutil.AVERROR_EAGAIN() || got == avutil.AVERROR_EOF()) {
        break;
      }
      if (got < 0) {
        throw new BadAudioFrameException("AAC decoder failed: " + describe(got));
      }
      try {
        resample(decoded);
      } finally {
        avutil.av_frame_unref(decoded);
      }
      encode(out);
    }
    return out;
  }

  private void resample(AVFrame in) {
    if (resampler == null
        || in.sample_rate() != inRate
        || in.format() != inFormat
        || in.ch_layout().nb_channels() != inChannels) {
      openResampler(in);
    }
    int room = swresample.swr_get_out_samples(resampler, in.nb_samples());
    if (room > resampledCapacity) {
      avutil.av_frame_unref(resampled);
      resampled.format(avutil.AV_SAMPLE_FMT_FLT);
      check(avutil.av_channel_layout_copy(resampled.ch_layout(), encoder.ch_layout()), "layout");
      resampled.sample_rate(OpusPacket.CLOCK_RATE);
      resampled.nb_samples(room);
      check(avutil.av_frame_get_buffer(resampled, 0), "resample buffer");
      resampledCapacity = room;
    }
    int n =
        swresample.swr_convert(
            resampler, resampled.data(), resampledCapacity, in.extended_data(), in.nb_samples());
    check(n, "resampling");
    if (n > 0) {
      check(avutil.av_audio_fifo_write(fifo, resampled.data(), n), "sample buffer");
    }
  }

  private void encode(List<OpusPacket> out) {
    while (avutil.av_audio_fifo_size(fifo) >= FRAME_SAMPLES) {
      check(avutil.av_frame_make_writable(frame), "frame");
      check(avutil.av_audio_fifo_read(fifo, frame.data(), FRAME_SAMPLES), "sample buffer");
      frame.pts(nextFramePts);
      nextFramePts += FRAME_SAMPLES;
      check(avcodec.avcodec_send_frame(encoder, frame), "Opus encoder");
      while (true) {
        int got = avcodec.avcodec_receive_packet(encoder, packet);
        if (got == avutil.AVERROR_EAGAIN() || got == avutil.AVERROR_EOF()) {
          break;
        }
        check(got, "Opus encoder");
        try {
          byte[] data = new byte[packet.size()];
          packet.data().get(data);
          long pts = packet.pts();
          long capture = lastInCapture + (pts - lastInPts) * 1_000_000 / OpusPacket.CLOCK_RATE;
          out.add(new OpusPacket(data, pts, capture, lastInReceived));
        } finally {
          avcodec.av_packet_unref(packet);
        }
      }
    }
  }

  private static AVCodecContext openDecoder(byte[] asc) {
    AVCodec aac = avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_AAC);
    if (aac == null) {
      throw new IllegalStateException("FFmpeg build has no AAC decoder");
    }
    AVCodecContext ctx = avcodec.avcodec_alloc_context3(aac);
    BytePointer extradata =
        new BytePointer(avutil.av_mallocz(asc.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE));
    extradata.put(asc);
    ctx.extradata(extradata);
    ctx.extradata_size(asc.length);
    int ret = avcodec.avcodec_open2(ctx, aac, (AVDictionary) null);
    if (ret < 0) {
      avcodec.avcodec_free_context(ctx);
      throw new IllegalArgumentException(
          "AAC decoder does not take this AudioSpecificConfig: " + describe(ret));
    }
    return ctx;
  }

  /** The resampler and, on the first decoded frame, the encoder (channels known only now). */
  private void openResampler(AVFrame in) {
    int channels = Math.min(2, Math.max(1, in.ch_layout().nb_channels()));
    if (encoder == null) {
      openEncoder(channels);
    }
    if (resampler != null) {
      swresample.swr_free(resampler);
      resampler = null;
    }
    SwrContext swr = new SwrContext(null);
    try (PointerPointer<SwrContext> made = new PointerPointer<>(1)) {
      made.put(0, swr);
      check(
          swresample.swr_alloc_set_opts2(
              made,
              encoder.ch_layout(),
              avutil.AV_SAMPLE_FMT_FLT,
              OpusPacket.CLOCK_RATE,
              in.ch_layout(),
              in.format(),
              in.sample_rate(),
              0,
              null),
          "resampler");
      resampler = made.get(SwrContext.class, 0);
    }
    check(swresample.swr_init(resampler), "resampler");
    inRate = in.sample_rate();
    inFormat = in.format();
    inChannels = in.ch_layout().nb_channels();
  }

  private void openEncoder(int channels) {
    AVCodec opus = avcodec.avcodec_find_encoder_by_name(encoderName);
    if (opus == null) {
      throw new IllegalStateException("FFmpeg build has no Opus encoder");
    }
    encoder = avcodec.avcodec_alloc_context3(opus);
    encoder.sample_rate(OpusPacket.CLOCK_RATE);
    avutil.av_channel_layout_default(encoder.ch_layout(), channels);
    encoder.sample_fmt(avutil.AV_SAMPLE_FMT_FLT);
    encoder.bit_rate(channels == 1 ? 32_000 : 48_000);
    encoder.time_base(avutil.av_make_q(1, OpusPacket.CLOCK_RATE));
    if (!"libopus".equals(encoderName)) {
      encoder.strict_std_compliance(
          avcodec.FF_COMPLIANCE_EXPERIMENTAL); // FFmpeg's own Opus encoder
    }
    AVDictionary options = new AVDictionary(null);
    avutil.av_dict_set(options, "frame_duration", "20", 0);
    int ret = avcodec.avcodec_open2(encoder, opus, options);
    avutil.av_dict_free(options);
    check(ret, "Opus encoder");
    fifo = avutil.av_audio_fifo_alloc(avutil.AV_SAMPLE_FMT_FLT, channels, FRAME_SAMPLES * 4);
    frame.format(avutil.AV_SAMPLE_FMT_FLT);
    check(avutil.av_channel_layout_copy(frame.ch_layout(), encoder.ch_layout()), "layout");
    frame.sample_rate(OpusPacket.CLOCK_RATE);
    frame.nb_samples(FRAME_SAMPLES);
    check(avutil.av_frame_get_buffer(frame, 0), "Opus frame");
  }

  private static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException(what + " failed: " + describe(ret));
    }
  }

  private static String describe(int ret) {
    try (BytePointer text = new BytePointer(128)) {
      avutil.av_strerror(ret, text, 128); // a generic text for codes it does not know
      return text.getString() + " (" + ret + ")";
    }
  }

  /** Frees every native resource; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (decoder != null) {
      avcodec.avcodec_free_context(decoder);
      decoder = null;
    }
    if (encoder != null) {
      avcodec.avcodec_free_context(encoder);
      encoder = null;
    }
    if (resampler != null) {
      swresample.swr_free(resampler);
      resampler = null;
    }
    if (fifo != null) {
      avutil.av_audio_fifo_free(fifo);
      fifo = null;
    }
    avcodec.av_packet_free(packet);
    avutil.av_frame_free(decoded);
    avutil.av_frame_free(resampled);
    avutil.av_frame_free(frame);
    packet = null;
    decoded = resampled = frame = null;
    OPEN.decrementAndGet();
  }
}
