package io.camflow.packager.audio;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.g711.G711;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * G.711 frames in, AAC-LC frames out: the A-law/µ-law codes expanded in Java ({@link G711}),
 * resampled to 48 kHz mono by swresample and encoded by FFmpeg's native {@code aac} encoder (both
 * in bytedeco's LGPL build) in 1024-sample frames. Browsers play no G.711 from MP4; AAC-LC at 48
 * kHz plays in every MSE and HLS player, and its 21 ms frame keeps the audio close behind the video
 * (at 8 kHz a frame would be 128 ms, and MSE plays only where both tracks are buffered).
 *
 * <p>Time: the AAC frames continue the G.711 pts scaled to 48 kHz, on a grid of 1024 samples from
 * where the time line started. A record that starts up to {@link #RESYNC_MILLIS} after the end of
 * the previous one has the hole filled with silence (a lost packet must not pull the sound ahead of
 * the picture); one that overlaps has the overlap cut; anything farther starts a new time line with
 * a fresh encoder (the last frames of the old one are not flushed: that input was cut off anyway).
 *
 * <p>Delay: the encoder gives out a frame once it holds the two after it (FFmpeg's AAC looks ahead
 * to pick its windows), so a frame leaves about 43 ms plus the rest of a frame after its first
 * sample came in. Which input record completes which frame follows from the time line alone, so a
 * packager that restarts and {@link #resumeAt resumes} on the same grid writes the same frames with
 * the same records.
 *
 * <p>Holds native memory: one per stream while its G.711 is packaged, used by one thread, always
 * {@link #close()}d.
 */
public final class G711ToAac implements AutoCloseable {

  public static final int SAMPLE_RATE = 48_000;
  public static final int FRAME_SAMPLES = 1024;

  /**
   * The G.711's own bit rate, so the stream grows no bigger. FFmpeg's AAC encoder keeps a test tone
   * 32 dB above its coding noise here (23 dB at 32-48 kbit/s, whose level wobbles by 10 % from one
   * 10 ms to the next); G.711 itself is at 38 dB.
   */
  static final int BIT_RATE = 64_000;

  /** Holes and overlaps up to this are smoothed over; beyond it the time line starts again. */
  static final int RESYNC_MILLIS = 100;

  private static final AtomicInteger OPEN = new AtomicInteger();

  static {
    // FFmpeg would print to stderr; what goes wrong here is counted and logged by the packager
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
  }

  private final byte[] audioSpecificConfig;
  private AVCodecContext encoder;
  private SwrContext resampler;
  private AVAudioFifo fifo;
  private AVPacket packet = avcodec.av_packet_alloc();
  private AVFrame frame = avutil.av_frame_alloc();
  private ShortPointer linear = new ShortPointer(0L);
  private FloatPointer resampled = new FloatPointer(0L);
  private short[] samples = new short[0];
  private int inRate;

  /**
   * The input rate the encoder's cutoff was set for, and whether it has had a frame (its look-ahead
   * then holds the past).
   */
  private int encoderRate;

  private boolean encoderUsed;
  private boolean anchored;

  /** Where the next record should start, in input ticks (= input samples). */
  private long nextInputPts;

  /** pts at 48 kHz of the next frame taken from the sample buffer. */
  private long nextFramePts;

  /** Resampled samples to throw away before the sample buffer: they lie before the frame grid. */
  private long skip;

  /**
   * Frames before this pts are not given out: the encoder's priming frame, or frames a restarted
   * packager already wrote.
   */
  private long emitFrom;

  /**
   * Set by {@link #resumeAt}: the grid and the first frame to give out when the time line starts.
   */
  private long resumePts = Long.MIN_VALUE;

  private long filledSamples;
  private long cutSamples;
  private boolean closed;

  /**
   * Opens the encoder (its AudioSpecificConfig is known from here on); the resampler follows the
   * first record.
   */
  public G711ToAac() {
    OPEN.incrementAndGet();
    try {
      openEncoder(8_000);
      audioSpecificConfig = new byte[encoder.extradata_size()];
      encoder.extradata().get(audioSpecificConfig);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Transcoders not closed yet, in this JVM (their native memory is held). */
  public static int open() {
    return OPEN.get();
  }

  /** The AudioSpecificConfig of every frame this transcoder makes (AAC-LC, 48 kHz, mono). */
  public byte[] audioSpecificConfig() {
    return audioSpecificConfig.clone();
  }

  /** Input samples of silence put into holes so far. */
  public long filledSamples() {
    return filledSamples;
  }

  /** Input samples cut because they overlapped what came before. */
  public long cutSamples() {
    return cutSamples;
  }

  /**
   * For a packager taking over a stream: frames before {@code pts} (48 kHz) were written already.
   * The time line the next record starts is laid on the grid through {@code pts}, and nothing
   * before {@code pts} is given out: feed the records before the take-over point as history (the
   * encoder needs two frames of it), then go on as usual.
   */
  public void resumeAt(long pts) {
    resumePts = pts;
    anchored = false;
  }

  /**
   * The AAC frames that are complete once {@code g711} is added: none, one or several, contiguous,
   * as access units at 48 kHz carrying the AudioSpecificConfig.
   *
   * @throws IllegalArgumentException if it is not a G.711 frame with samples at a rate of 8..48 kHz
   *     and a pts from 0 (nothing changes)
   * @throws IllegalStateException if FFmpeg fails; close this transcoder and start a new one
   */
  public List<AccessUnit> transcode(AccessUnit g711) {
    if (closed) {
      throw new IllegalStateException("transcoder closed");
    }
    if (g711.codec() != Codec.PCMU && g711.codec() != Codec.PCMA) {
      throw new IllegalArgumentException("not G.711: " + g711.codec().id());
    }
    if (g711.data().length == 0) {
      throw new IllegalArgumentException("G.711 frame without samples");
    }
    int rate = g711.timebase(); // G.711's RTP clock is its sample rate
    if (rate < 8_000 || rate > SAMPLE_RATE) {
      throw new IllegalArgumentException("G.711 at " + rate + " Hz: expected 8000..48000");
    }
    if (g711.pts() < 0 || g711.pts() > Long.MAX_VALUE / SAMPLE_RATE) {
      throw new IllegalArgumentException(
          "G.711 pts " + g711.pts() + " out of range (fMP4 times start at 0)");
    }
    int count = g711.data().length;
    int from = 0;
    long hole = g711.pts() - nextInputPts;
    if (!anchored || rate != inRate || Math.abs(hole) > (long) rate * RESYNC_MILLIS / 1000) {
      startTimeLine(g711.pts(), rate);
      hole = 0;
    }
    if (hole < 0) {
      from = (int) Math.min(count, -hole);
      cutSamples += from;
    }
    nextInputPts = Math.max(nextInputPts, g711.pts() + count);
    List<AccessUnit> out = new ArrayList<>(2);
    if (hole > 0) {
      filledSamples += hole;
      resample(new short[(int) hole], 0, (int) hole);
    }
    if (from < count) {
      if (samples.length < count) {
        samples = new short[count];
      }
      G711.decode(g711.codec(), g711.data(), samples, 0);
      resample(samples, from, count - from);
    }
    encode(g711.track(), out);
    return out;
  }

  /**
   * A new time line from {@code pts}: fresh resampler and encoder, the frame grid laid from here or
   * through the resume point.
   */
  private void startTimeLine(long pts, int rate) {
    if (encoder != null && (encoderUsed || rate != encoderRate)) {
      avcodec.avcodec_free_context(encoder); // its look-ahead belongs to the old time line
      encoder = null;
    }
    if (encoder == null) {
      openEncoder(rate);
    }
    openResampler(rate);
    avutil.av_audio_fifo_reset(fifo);
    long start = Math.floorDiv(Math.multiplyExact(pts, (long) SAMPLE_RATE), rate);
    nextFramePts = start;
    emitFrom =
        start; // the encoder's first frame is priming (FFmpeg's initial padding): never given out
    if (resumePts != Long.MIN_VALUE) {
      if (start <= resumePts) {
        nextFramePts = resumePts - (resumePts - start) / FRAME_SAMPLES * FRAME_SAMPLES;
        emitFrom = resumePts;
      }
      resumePts = Long.MIN_VALUE;
    }
    skip = nextFramePts - start;
    nextInputPts = pts;
    anchored = true;
  }

  private void resample(short[] in, int offset, int count) {
    if (linear.capacity() < count) {
      linear.close();
      linear = new ShortPointer(count);
    }
    linear.position(0).put(in, offset, count);
    int room = swresample.swr_get_out_samples(resampler, count);
    if (resampled.capacity() < room) {
      resampled.close();
      resampled = new FloatPointer(room);
    }
    int n;
    try (PointerPointer<FloatPointer> outPlanes =
            new PointerPointer<FloatPointer>(1).put(0, resampled);
        PointerPointer<ShortPointer> inPlanes =
            new PointerPointer<ShortPointer>(1).put(0, linear)) {
      n = swresample.swr_convert(resampler, outPlanes, room, inPlanes, count);
      check(n, "resampling");
      if (n > 0) {
        check(avutil.av_audio_fifo_write(fifo, outPlanes, n), "sample buffer");
      }
    }
    if (skip > 0) {
      int dropped = (int) Math.min(skip, avutil.av_audio_fifo_size(fifo));
      check(avutil.av_audio_fifo_drain(fifo, dropped), "sample buffer");
      skip -= dropped;
    }
  }

  private void encode(int track, List<AccessUnit> out) {
    while (avutil.av_audio_fifo_size(fifo) >= FRAME_SAMPLES) {
      check(avutil.av_frame_make_writable(frame), "frame");
      check(avutil.av_audio_fifo_read(fifo, frame.data(), FRAME_SAMPLES), "sample buffer");
      frame.pts(nextFramePts);
      nextFramePts += FRAME_SAMPLES;
      check(avcodec.avcodec_send_frame(encoder, frame), "AAC encoder");
      encoderUsed = true;
      while (true) {
        int got = avcodec.avcodec_receive_packet(encoder, packet);
        if (got == avutil.AVERROR_EAGAIN() || got == avutil.AVERROR_EOF()) {
          break;
        }
        check(got, "AAC encoder");
        try {
          long pts = packet.pts();
          if (pts >= emitFrom) {
            byte[] data = new byte[packet.size()];
            packet.data().get(data);
            out.add(
                new AccessUnit(
                    track, Codec.AAC, pts, pts, SAMPLE_RATE, false, data, audioSpecificConfig));
          }
        } finally {
          avcodec.av_packet_unref(packet);
        }
      }
    }
  }

  private void openEncoder(int inputRate) {
    AVCodec aac = avcodec.avcodec_find_encoder_by_name("aac");
    if (aac == null) {
      throw new IllegalStateException("FFmpeg build has no AAC encoder");
    }
    encoder = avcodec.avcodec_alloc_context3(aac);
    encoder.sample_rate(SAMPLE_RATE);
    avutil.av_channel_layout_default(encoder.ch_layout(), 1);
    encoder.sample_fmt(avutil.AV_SAMPLE_FMT_FLTP);
    encoder.bit_rate(BIT_RATE);
    encoder.cutoff(
        inputRate / 2); // nothing above the camera's Nyquist frequency: no bits spent there
    encoder.time_base(avutil.av_make_q(1, SAMPLE_RATE));
    encoder.flags(
        encoder.flags()
            | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER); // the AudioSpecificConfig as extradata
    check(avcodec.avcodec_open2(encoder, aac, (AVDictionary) null), "AAC encoder");
    encoderRate = inputRate;
    encoderUsed = false;
    if (fifo == null) {
      fifo = avutil.av_audio_fifo_alloc(avutil.AV_SAMPLE_FMT_FLTP, 1, FRAME_SAMPLES * 4);
      frame.format(avutil.AV_SAMPLE_FMT_FLTP);
      avutil.av_channel_layout_default(frame.ch_layout(), 1);
      frame.sample_rate(SAMPLE_RATE);
      frame.nb_samples(FRAME_SAMPLES);
      check(avutil.av_frame_get_buffer(frame, 0), "AAC frame");
    }
  }

  private void openResampler(int rate) {
    if (resampler != null) {
      swresample.swr_free(resampler);
      resampler = null;
    }
    try (AVChannelLayout mono = new AVChannelLayout();
        PointerPointer<SwrContext> made = new PointerPointer<>(1)) {
      avutil.av_channel_layout_default(mono, 1);
      made.put(0, new SwrContext(null));
      check(
          swresample.swr_alloc_set_opts2(
              made,
              mono,
              avutil.AV_SAMPLE_FMT_FLTP,
              SAMPLE_RATE,
              mono,
              avutil.AV_SAMPLE_FMT_S16,
              rate,
              0,
              null),
          "resampler");
      resampler = made.get(SwrContext.class, 0);
    }
    check(swresample.swr_init(resampler), "resampler");
    inRate = rate;
  }

  private static void check(int ret, String what) {
    if (ret < 0) {
      throw new IllegalStateException(what + " failed: " + describe(ret));
    }
  }

  private static String describe(int ret) {
    try (BytePointer text = new BytePointer(128)) {
      avutil.av_strerror(ret, text, 128);
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
    avutil.av_frame_free(frame);
    packet = null;
    frame = null;
    linear.close();
    resampled.close();
    OPEN.decrementAndGet();
  }

  @Override
  public String toString() {
    return "G711ToAac["
        + (closed ? "closed" : "open")
        + ", asc="
        + Arrays.toString(audioSpecificConfig)
        + "]";
  }
}
