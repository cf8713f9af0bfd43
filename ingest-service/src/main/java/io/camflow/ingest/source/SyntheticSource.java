package io.camflow.ingest.source;

import io.camflow.media.Codec;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avfilter;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * camflow's built-in camera: an FFmpeg test pattern with a running clock, encoded to H.264 in real
 * time, producing the same packets as an RTSP camera. URL: {@code
 * synthetic:<pattern>?size=WxH&rate=N&gop=N&bitrate=N[k|M]} where pattern is an FFmpeg lavfi video
 * source ({@code testsrc}, {@code testsrc2}, {@code smptebars}).
 */
public final class SyntheticSource implements MediaSource {

  private static final int TIMEBASE = 90_000;
  private static final List<String> PATTERNS =
      List.of("testsrc", "testsrc2", "smptebars", "rgbtestsrc");

  private final String pattern;
  private final int width;
  private final int height;
  private final int rate;
  private final int gop;
  private final long bitrate;

  private volatile boolean interrupted;
  private AVFilterGraph graph;
  private AVFilterContext sink;
  private AVCodecContext encoder;
  private AVFrame frame;
  private AVPacket packet;
  private long frameIndex;
  private long startNanos;
  private long startWallMicros;

  public SyntheticSource(URI url) {
    String ssp = url.getSchemeSpecificPart();
    int q = ssp.indexOf('?');
    pattern = q < 0 ? ssp : ssp.substring(0, q);
    if (!PATTERNS.contains(pattern)) {
      throw new IllegalArgumentException(
          "synthetic pattern '" + pattern + "' is not one of " + PATTERNS);
    }
    Map<String, String> params = query(q < 0 ? "" : ssp.substring(q + 1));
    String[] size = params.getOrDefault("size", "1280x720").split("x");
    width = Integer.parseInt(size[0]);
    height = Integer.parseInt(size[1]);
    rate = Integer.parseInt(params.getOrDefault("rate", "25"));
    gop = Integer.parseInt(params.getOrDefault("gop", Integer.toString(rate)));
    bitrate = parseBitrate(params.getOrDefault("bitrate", "2000k"));
    if (width < 16
        || height < 16
        || width % 2 != 0
        || height % 2 != 0
        || rate < 1
        || rate > 120
        || gop < 1) {
      throw new IllegalArgumentException("synthetic source options out of range in " + url);
    }
  }

  private static Map<String, String> query(String q) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return m;
  }

  private static long parseBitrate(String s) {
    long mult = 1;
    if (s.endsWith("k")) {
      mult = 1_000;
    } else if (s.endsWith("M")) {
      mult = 1_000_000;
    }
    String digits = mult == 1 ? s : s.substring(0, s.length() - 1);
    return Long.parseLong(digits) * mult;
  }

  @Override
  public List<Track> open() throws SourceException {
    FfmpegLogging.init();
    graph = avfilter.avfilter_graph_alloc();
    sink = new AVFilterContext();
    check(
        avfilter.avfilter_graph_create_filter(
            sink, avfilter.avfilter_get_by_name("buffersink"), "out", null, null, graph),
        "buffersink");
    AVFilterInOut inputs = avfilter.avfilter_inout_alloc();
    try (org.bytedeco.javacpp.BytePointer name = new org.bytedeco.javacpp.BytePointer("out")) {
      inputs.name(avutil.av_strdup(name));
    }
    inputs.filter_ctx(sink);
    inputs.pad_idx(0);
    inputs.next(null);
    startWallMicros = System.currentTimeMillis() * 1000;
    String description =
        pattern + "=size=" + width + "x" + height + ":rate=" + rate + clock() + ",format=yuv420p";
    check(
        avfilter.avfilter_graph_parse_ptr(graph, description, inputs, null, null), "filter graph");
    avfilter.avfilter_inout_free(inputs);
    check(avfilter.avfilter_graph_config(graph, null), "filter graph config");

    AVCodec codec = avcodec.avcodec_find_encoder_by_name("libopenh264");
    if (codec == null) {
      throw new UnsupportedStreamException("FFmpeg build has no libopenh264 encoder");
    }
    encoder = avcodec.avcodec_alloc_context3(codec);
    encoder.width(width);
    encoder.height(height);
    encoder.time_base(avutil.av_make_q(1, rate));
    encoder.framerate(avutil.av_make_q(rate, 1));
    encoder.pix_fmt(avutil.AV_PIX_FMT_YUV420P);
    encoder.gop_size(gop);
    encoder.max_b_frames(0);
    encoder.bit_rate(bitrate);
    check(
        avcodec.avcodec_open2(encoder, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
        "libopenh264");
    frame = avutil.av_frame_alloc();
    packet = avcodec.av_packet_alloc();
    startNanos = System.nanoTime();
    return List.of(new Track(0, Codec.H264, TIMEBASE, null, 0, 0));
  }

  /**
   * A running clock in the picture: the UTC time of day with milliseconds at which the frame is due
   * (frame pts plus the wall clock of frame 0), so the delay to a viewer can be read off the
   * screen. Drawn with the first font found; without one the pattern runs without the clock.
   */
  private String clock() {
    String font =
        FONTS.stream()
            .filter(f -> java.nio.file.Files.isReadable(java.nio.file.Path.of(f)))
            .findFirst()
            .orElse(null);
    if (font == null) {
      return "";
    }
    double secondsOfDay = (startWallMicros / 1000 % 86_400_000L) / 1000.0;
    int size = Math.max(12, height / 16);
    return ",drawtext=fontfile="
        + font
        + ":fontsize="
        + size
        + ":fontcolor=white:box=1:boxcolor=black@0.6"
        + ":x=(w-tw)/2:y=h-th-"
        + size
        + ":text='UTC %{pts\\:hms\\:"
        + String.format(java.util.Locale.ROOT, "%.3f", secondsOfDay)
        + "}'";
  }

  private static final List<String> FONTS =
      List.of(
          "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
          "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
          "/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf",
          "/usr/share/fonts/truetype/noto/NotoSansMono-Bold.ttf");

  @Override
  public SourcePacket read() throws SourceException {
    while (true) {
      if (interrupted) {
        throw new SourceClosedException();
      }
      int ret = avcodec.avcodec_receive_packet(encoder, packet);
      if (ret == 0) {
        try {
          byte[] data = new byte[packet.size()];
          packet.data().get(data);
          long pts = packet.pts() * TIMEBASE / rate;
          return new SourcePacket(0, data, pts, pts, startWallMicros + pts * 1_000_000 / TIMEBASE);
        } finally {
          avcodec.av_packet_unref(packet);
        }
      }
      if (ret != avutil.AVERROR_EAGAIN()) {
        throw new EndOfStreamException("encoder failed: " + FfmpegErrors.describe(ret));
      }
      pace();
      check(avfilter.av_buffersink_get_frame(sink, frame), "test pattern");
      frame.pts(frameIndex++);
      frame.pict_type(avutil.AV_PICTURE_TYPE_NONE);
      int sent = avcodec.avcodec_send_frame(encoder, frame);
      avutil.av_frame_unref(frame);
      if (sent < 0) {
        throw new EndOfStreamException("encoder refused a frame: " + FfmpegErrors.describe(sent));
      }
    }
  }

  /** Releases frames at the camera's real rate: a live source, not a file. */
  private void pace() throws SourceClosedException {
    long due = startNanos + frameIndex * 1_000_000_000L / rate;
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      if (interrupted) {
        throw new SourceClosedException();
      }
      try {
        Thread.sleep(Math.min(wait / 1_000_000 + 1, 50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SourceClosedException();
      }
    }
  }

  private void check(int ret, String what) throws SourceException {
    if (ret < 0) {
      throw new UnsupportedStreamException(
          "synthetic source: " + what + " failed: " + FfmpegErrors.describe(ret));
    }
  }

  @Override
  public void interrupt() {
    interrupted = true;
  }

  @Override
  public void close() {
    interrupted = true;
    if (packet != null) {
      avcodec.av_packet_free(packet);
      packet = null;
    }
    if (frame != null) {
      avutil.av_frame_free(frame);
      frame = null;
    }
    if (encoder != null) {
      avcodec.avcodec_free_context(encoder);
      encoder = null;
    }
    if (graph != null) {
      avfilter.avfilter_graph_free(graph);
      graph = null;
    }
  }
}
