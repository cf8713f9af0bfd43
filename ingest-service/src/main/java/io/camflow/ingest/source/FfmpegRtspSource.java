package io.camflow.ingest.source;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_ALAW;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_MULAW;

import io.camflow.ingest.source.tls.CertificateRefusedException;
import io.camflow.ingest.source.tls.RtspsRelay;
import io.camflow.media.CaptureClock;
import io.camflow.media.Codec;
import io.camflow.media.TimestampUnwrapper;
import io.camflow.registry.Transport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVProducerReferenceTime;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTSP camera read through FFmpeg's RTSP demuxer (bytedeco's FFmpeg build). FFmpeg handles RTSP
 * 1.0 over TCP and UDP, Basic and Digest auth, RTP depacketization and RTCP; its parser hands back
 * complete access units. Stream-info probing is skipped: the first keyframe goes out as soon as it
 * arrives, and camflow reads resolution and frame rate from the parameter sets itself.
 *
 * <p>{@code rtsps://} cameras are read through an {@link RtspsRelay}: FFmpeg's own TLS would not
 * verify the camera's certificate (its RTSP demuxer passes no options to it, and it does not verify
 * by default), so camflow makes the TLS connection and FFmpeg reads plain RTSP over loopback, TCP
 * interleaved, with the protocols it may open limited to {@code rtsp} and {@code tcp}.
 */
public final class FfmpegRtspSource implements MediaSource {

  private static final Logger LOG = LoggerFactory.getLogger(FfmpegRtspSource.class);

  /**
   * Where a session's timeline starts, added to every track alike (so their sync stays). FFmpeg
   * starts an RTSP session's timestamps near 0, but a B-frame stream decodes its first pictures
   * before the first one is presented: their decode times lie up to 16 frame intervals earlier, and
   * fMP4 (baseMediaDecodeTime) has no negative times.
   */
  static final int SESSION_ORIGIN_SECONDS = 100;

  private final SourceAddress address;
  private final Transport transport;
  private final Duration timeout;
  private final FfmpegInterrupts.Handle interrupts;
  private final CaptureClock clock = new CaptureClock();
  private boolean correctionLogged;
  private AVFormatContext ctx;
  private AVPacket packet;
  private volatile RtspsRelay relay;
  private boolean[] passOn = new boolean[0];

  /**
   * Video tracks get no decode time from here: RTP carries presentation times only, and what FFmpeg
   * puts into dts for them is a guess that goes backwards with B-frames. The access-unit assembler
   * derives decode times from the SPS instead.
   */
  private boolean[] video = new boolean[0];

  /**
   * FFmpeg extends the 32-bit RTP clock itself, but libavformat also applies its own 32-bit wrap
   * correction to RTSP streams; re-extending the low 32 bits per track keeps pts and dts continuous
   * whatever either layer does.
   */
  private TimestampUnwrapper[] ptsClock = new TimestampUnwrapper[0];

  private long[] firstPts = new long[0];

  public FfmpegRtspSource(SourceAddress address, Transport transport, Duration timeout) {
    this.address = address;
    this.transport = transport;
    this.timeout = timeout;
    this.interrupts = FfmpegInterrupts.register();
    FfmpegLogging.init();
  }

  @Override
  public List<Track> open() throws SourceException {
    if (ctx != null) {
      throw new IllegalStateException("already open");
    }
    String url =
        "rtsps".equals(address.url().getScheme()) ? openRelay() : address.urlWithCredentials();
    ctx = avformat.avformat_alloc_context();
    interrupts.install(ctx);
    AVDictionary options = new AVDictionary(null);
    try {
      if (relay != null) {
        // TLS is the relay's: RTP interleaved on its one connection, and no protocol that could
        // leave it (a redirect to tls:// or a second connection)
        avutil.av_dict_set(options, "rtsp_transport", "tcp", 0);
        avutil.av_dict_set(options, "protocol_whitelist", "rtsp,tcp", 0);
      } else if (transport != Transport.AUTO) {
        avutil.av_dict_set(options, "rtsp_transport", transport.name().toLowerCase(), 0);
      }
      avutil.av_dict_set(options, "timeout", Long.toString(timeout.toNanos() / 1000), 0);
      avutil.av_dict_set(options, "fflags", "nobuffer", 0);
      interrupts.arm(timeout);
      int ret = avformat.avformat_open_input(ctx, url, null, options);
      if (ret < 0) {
        ctx = null; // avformat_open_input frees the context on failure
        String relayFailure = relay == null ? null : relay.failure();
        if (relayFailure != null && !interrupts.interrupted()) {
          throw new ConnectFailedException(address.url() + ": " + relayFailure);
        }
        throw FfmpegErrors.onOpen(ret, interrupts, address);
      }
    } finally {
      avutil.av_dict_free(options);
    }
    packet = avcodec.av_packet_alloc();
    List<Track> tracks = describeTracks();
    if (tracks.stream().noneMatch(t -> t.codec().isVideo())) {
      throw new UnsupportedStreamException("no H.264 or H.265 video track at " + address.url());
    }
    return tracks;
  }

  /** TLS to the camera, verified; returns the loopback URL FFmpeg reads it through. */
  private String openRelay() throws SourceException {
    URI url = address.url();
    int port = url.getPort() < 0 ? SourceAddress.RTSPS_DEFAULT_PORT : url.getPort();
    try {
      // the camera may stay silent up to the read timeout; the relay gives FFmpeg time to notice
      // first
      relay = RtspsRelay.open(url.getHost(), port, address.tls(), timeout, timeout.multipliedBy(2));
    } catch (CertificateRefusedException e) {
      throw new TlsFailedException(url + ": camera certificate refused: " + e.getMessage());
    } catch (SocketTimeoutException e) {
      throw new StreamTimeoutException(
          "no TLS connection to " + url + " within the timeout: " + e.getMessage());
    } catch (IOException e) {
      throw new ConnectFailedException("cannot open " + url + ": " + e.getMessage());
    }
    if (interrupts.interrupted()) {
      throw new SourceClosedException();
    }
    return address.relayedUrlWithCredentials(relay.port());
  }

  private List<Track> describeTracks() {
    int n = ctx.nb_streams();
    passOn = new boolean[n];
    video = new boolean[n];
    ptsClock = new TimestampUnwrapper[n];
    firstPts = new long[n];
    List<Track> tracks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      AVStream st = ctx.streams(i);
      AVCodecParameters par = st.codecpar();
      Codec codec = codecOf(par.codec_id());
      if (codec == null) {
        st.discard(avcodec.AVDISCARD_ALL);
        continue;
      }
      passOn[i] = true;
      video[i] = codec.isVideo();
      ptsClock[i] = new TimestampUnwrapper(32);
      firstPts[i] = Long.MIN_VALUE;
      byte[] extradata = null;
      if (par.extradata() != null && par.extradata_size() > 0) {
        extradata = new byte[par.extradata_size()];
        par.extradata().get(extradata);
      }
      int timebase = st.time_base().num() == 1 ? st.time_base().den() : 90000;
      tracks.add(
          new Track(
              i, codec, timebase, extradata, par.sample_rate(), par.ch_layout().nb_channels()));
    }
    return tracks;
  }

  private static Codec codecOf(int codecId) {
    if (codecId == AV_CODEC_ID_H264) return Codec.H264;
    if (codecId == AV_CODEC_ID_HEVC) return Codec.H265;
    if (codecId == AV_CODEC_ID_AAC) return Codec.AAC;
    if (codecId == AV_CODEC_ID_PCM_MULAW) return Codec.PCMU;
    if (codecId == AV_CODEC_ID_PCM_ALAW) return Codec.PCMA;
    return null;
  }

  @Override
  public SourcePacket read() throws SourceException {
    if (ctx == null) {
      throw new IllegalStateException("not open");
    }
    while (true) {
      interrupts.arm(timeout);
      int ret = avformat.av_read_frame(ctx, packet);
      if (ret == avutil.AVERROR_EAGAIN()) {
        continue;
      }
      if (ret < 0) {
        String relayFailure = relay == null ? null : relay.failure();
        if (relayFailure != null && !interrupts.interrupted()) {
          throw new EndOfStreamException("stream lost: " + relayFailure);
        }
        throw FfmpegErrors.onRead(ret, interrupts);
      }
      try {
        int index = packet.stream_index();
        if (index >= passOn.length || !passOn[index] || packet.size() <= 0) {
          continue;
        }
        byte[] data = new byte[packet.size()];
        packet.data().get(data);
        long pts = packet.pts();
        long dts =
            packet.dts() == avutil.AV_NOPTS_VALUE || video[index] ? Long.MIN_VALUE : packet.dts();
        if (pts == avutil.AV_NOPTS_VALUE) {
          pts = dts == Long.MIN_VALUE ? 0 : dts;
        }
        if (firstPts[index] == Long.MIN_VALUE) {
          firstPts[index] = pts;
        }
        long continuous = firstPts[index] + ptsClock[index].unwrap(pts - firstPts[index]);
        if (dts != Long.MIN_VALUE) {
          dts = continuous - (pts - dts); // the composition offset is small: no wrap in it
        }
        pts = continuous;
        AVStream st = ctx.streams(index);
        long ptsMicros = avutil.av_rescale_q(pts, st.time_base(), avutil.av_make_q(1, 1_000_000));
        long captureMicros =
            clock.captureMicros(ptsMicros, senderWallclock(), System.currentTimeMillis() * 1000);
        if (!correctionLogged && clock.firstCorrectionMicros() != CaptureClock.NO_TIME) {
          correctionLogged = true;
          LOG.info(
              "{}: first RTCP sender report after the stream began; the camera's clock is {} ms"
                  + " from the arrival estimate, the capture clock slews to it ({} % of media time)",
              address, clock.firstCorrectionMicros() / 1000, Math.round(CaptureClock.SLEW * 100));
        }
        long origin =
            (long) SESSION_ORIGIN_SECONDS
                * st.time_base().den()
                / Math.max(1, st.time_base().num());
        return new SourcePacket(
            index, data, pts + origin, dts == Long.MIN_VALUE ? dts : dts + origin, captureMicros);
      } finally {
        avcodec.av_packet_unref(packet);
      }
    }
  }

  /**
   * The camera's wall clock for the current packet, from RTCP sender reports, if FFmpeg has one.
   */
  private long senderWallclock() {
    BytePointer side =
        avcodec.av_packet_get_side_data(packet, avcodec.AV_PKT_DATA_PRFT, (SizeTPointer) null);
    if (side == null || side.isNull()) {
      return CaptureClock.NO_TIME;
    }
    return new AVProducerReferenceTime(side).wallclock();
  }

  @Override
  public void interrupt() {
    interrupts.interrupt();
    RtspsRelay r = relay;
    if (r != null) {
      r.close(); // FFmpeg's socket ends at once
    }
  }

  @Override
  public void close() {
    interrupts.arm(Duration.ofSeconds(1)); // time for a polite TEARDOWN, unless already interrupted
    if (packet != null) {
      avcodec.av_packet_free(packet);
      packet = null;
    }
    if (ctx != null) {
      avformat.avformat_close_input(ctx);
      ctx = null;
    }
    if (relay != null) {
      relay.close();
      relay = null;
    }
    interrupts.release();
  }
}
