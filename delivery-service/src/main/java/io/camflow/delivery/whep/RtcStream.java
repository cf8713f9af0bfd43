package io.camflow.delivery.whep;

import io.camflow.delivery.gop.GopCache;
import io.camflow.delivery.gop.Unit;
import io.camflow.delivery.transcode.OpusPacket;
import io.camflow.delivery.transcode.OpusTranscoding;
import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.fmp4.AudioSpecificConfig;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h264.H264Sps;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.H265Sps;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.media.rtp.AacPacketizer;
import io.camflow.media.rtp.AudioPacketizer;
import io.camflow.media.rtp.H264Packetizer;
import io.camflow.media.rtp.H265Packetizer;
import io.camflow.media.rtp.RtpFrame;
import io.camflow.media.sdp.H264ProfileLevelId;
import io.camflow.media.sdp.H265ProfileTierLevel;
import io.camflow.media.sdp.RtpAudioCodec;
import io.camflow.media.sdp.StreamCodecs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebRTC side of one watched stream: it packetizes every access unit of the stream ONCE (RTP
 * payloads shared by all its viewers), keeps the packetized frames since the latest video keyframe
 * — the GOP cache a new viewer, or one that lost a picture, starts from — and hands each new frame
 * to its viewers. It also knows what the stream is, for the SDP negotiation: codec, H.264 profile
 * or H.265 profile/tier/level from the SPS, audio codec, and whether the source reorders frames
 * (B-frames).
 *
 * <p>Audio: PCMU/PCMA pass through; AAC, which browsers do not take over RTP, is offered as Opus
 * and transcoded — once for all viewers, off the feed thread — only while a viewer receives audio.
 *
 * <p>Fed by {@link GopCache} on the stream's feed thread (under the cache's lock, then this one's);
 * viewers queue frames on their own threads.
 */
public final class RtcStream implements GopCache.Listener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RtcStream.class);

  /**
   * One access unit as RTP payloads.
   *
   * @param video video or audio
   * @param rtp the payloads and the frame's timestamp at the track's clock rate
   * @param clockRate of {@code rtp.timestamp()}
   * @param captureMicros wall clock of the picture/sound (the record timestamp), for sender reports
   * @param receivedMicros when ingest had it, or {@link MediaRecordFormat#RECEIVED_UNKNOWN}
   *     (measuring)
   * @param payloadBytes the payloads' size, counted once for every viewer's byte count
   * @param encoding the RTP encoding name (SDP rtpmap): H264, H265, PCMU, PCMA, opus or {@link
   *     #AAC}
   */
  public record Frame(
      boolean video,
      RtpFrame rtp,
      int clockRate,
      long captureMicros,
      long receivedMicros,
      int payloadBytes,
      String encoding) {

    /** RFC 3640 AAC: RTSP carries it as the camera sent it; WebRTC gets the stream's Opus. */
    public static final String AAC = "MPEG4-GENERIC";

    Frame(
        boolean video,
        RtpFrame rtp,
        int clockRate,
        long captureMicros,
        long receivedMicros,
        String encoding) {
      this(video, rtp, clockRate, captureMicros, receivedMicros, rtp.payloadBytes(), encoding);
    }

    /** Whether WebRTC carries it (everything but AAC, which it gets as Opus). */
    public boolean forWebRtc() {
      return !AAC.equals(encoding);
    }
  }

  /** What a reader starts from: the packetized frames since the latest video keyframe. */
  public record Start(List<Frame> gop) {}

  /**
   * One receiver of the stream's frames (a WebRTC viewer, an RTSP reader). Its methods are called
   * under the stream's lock: each hands the frame to its own thread or event loop and returns.
   */
  public interface Reader {

    /** The GOP to start with, once, when it joins. */
    void start(Start start);

    /** The next frame, video or audio. */
    void frame(Frame frame);

    /**
     * Whether it takes WebRTC's audio: while one does, a stream's AAC is transcoded to Opus. (Every
     * reader is handed every frame; an RTSP reader takes the camera's own audio.)
     */
    boolean receivesAudio();

    /** The stream stopped: the reader ends, telling its client why. */
    void close(String reason);
  }

  private final StreamKey key;
  private final H264Packetizer h264 = new H264Packetizer();
  private final H265Packetizer h265 = new H265Packetizer();
  private final AudioPacketizer g711 = AudioPacketizer.g711(H264Packetizer.DEFAULT_MAX_PAYLOAD);
  private final AudioPacketizer opus = AudioPacketizer.opus(H264Packetizer.DEFAULT_MAX_PAYLOAD);
  private final AacPacketizer aac = new AacPacketizer(H264Packetizer.DEFAULT_MAX_PAYLOAD);
  private byte[] aacConfig;
  private AudioSpecificConfig aacFormat;
  private OpusTranscoding transcoding;
  private int audioViewers;
  private final List<Frame> gop = new ArrayList<>();
  private final Set<Reader> viewers = new LinkedHashSet<>();
  private String session;
  private Codec videoCodec;
  private H264ProfileLevelId profile;
  private H265ProfileTierLevel h265Profile = H265ProfileTierLevel.UNKNOWN;
  private Codec audioCodec;
  private List<byte[]> parameterSets = List.of();
  private boolean reorders;
  private long maxVideoPts = Long.MIN_VALUE;
  private int videoFrames; // of this session
  private boolean mayReorder; // the session's keyframe is decoded before it is shown
  private long lastFrameNanos;
  private boolean closed;
  private long refused;

  public RtcStream(StreamKey key) {
    this.key = key;
  }

  public StreamKey key() {
    return key;
  }

  @Override
  public void unit(Unit unit) {
    AccessUnit au = unit.au();
    synchronized (this) {
      if (closed) {
        return;
      }
      if (!unit.session().equals(session)) {
        session = unit.session();
        gop.clear();
        reorders = false;
        maxVideoPts = Long.MIN_VALUE;
        videoFrames = 0;
        mayReorder = false;
        audioCodec = null;
        parameterSets = List.of();
        aacConfig = null;
        aacFormat = null;
        stopTranscoding(); // a new session may bring other audio; the next AAC frame starts it
        // again
      }
      Frame frame;
      try {
        frame = packetize(unit);
      } catch (IllegalArgumentException e) {
        if (refused++ % 1000 == 0) {
          LOG.warn(
              "{}: access unit at offset {} cannot go over RTP ({}); skipped",
              key,
              unit.offset(),
              e.getMessage());
        }
        return;
      }
      if (frame == null) {
        return;
      }
      if (frame.video()) {
        if (au.pts() < maxVideoPts) {
          reorders = true;
        }
        maxVideoPts = Math.max(maxVideoPts, au.pts());
        videoFrames++;
        if (au.keyframe() && au.dts() < au.pts()) {
          mayReorder = true; // ingest's decode times: the SPS admits reordering
        }
        if (frame.rtp().keyframe()) {
          gop.clear();
        }
      }
      fanOut(frame);
    }
  }

  /**
   * Keeps the frame in the GOP (once one started) and hands it to every viewer; under this lock.
   */
  private void fanOut(Frame frame) {
    if (!gop.isEmpty() || (frame.video() && frame.rtp().keyframe())) {
      gop.add(frame);
    }
    lastFrameNanos = System.nanoTime();
    for (Reader v : viewers) {
      v.frame(frame);
    }
  }

  /**
   * The frame of a unit, or null for a codec WebRTC does not carry here (noted once per session).
   */
  private Frame packetize(Unit unit) {
    AccessUnit au = unit.au();
    long capture = unit.timestampMillis() * 1000;
    switch (au.codec()) {
      case H264 -> {
        videoCodec = Codec.H264;
        if (au.keyframe()) {
          profileOf(au).ifPresent(p -> profile = p);
          keepParameterSets(au, H264NalType.SPS, H264NalType.PPS, -1);
        }
        RtpFrame rtp = h264.packetize(au);
        return rtp.payloads().isEmpty()
            ? null
            : new Frame(true, rtp, 90_000, capture, unit.receivedMicros(), "H264");
      }
      case H265 -> {
        videoCodec = Codec.H265;
        if (au.keyframe()) {
          h265ProfileOf(au).ifPresent(p -> h265Profile = p);
          keepParameterSets(au, H265NalType.VPS, H265NalType.SPS, H265NalType.PPS);
        }
        RtpFrame rtp =
            h265.packetize(au); // VPS/SPS/PPS in one AP before every IRAP, as Chrome needs
        return rtp.payloads().isEmpty()
            ? null
            : new Frame(true, rtp, 90_000, capture, unit.receivedMicros(), "H265");
      }
      case PCMU, PCMA -> {
        audioCodec = au.codec();
        return new Frame(
            false,
            g711.packetize(au),
            g711.clockRate(),
            capture,
            unit.receivedMicros(),
            au.codec() == Codec.PCMA ? "PCMA" : "PCMU");
      }
      case AAC -> {
        audioCodec = Codec.AAC;
        if (transcoding == null && audioViewers > 0) {
          startTranscoding();
        }
        if (transcoding != null) {
          transcoding.offer(au, capture, unit.receivedMicros()); // Opus: through transcoded()
        }
        if (au.codecConfig() != null && !java.util.Arrays.equals(au.codecConfig(), aacConfig)) {
          aacConfig = au.codecConfig();
          aacFormat = parsed(aacConfig);
        }
        AudioSpecificConfig asc = aacFormat;
        if (asc == null) {
          return null; // no sample rate to stamp it with
        }
        return new Frame(
            false,
            aac.packetize(au, asc.sampleRate()),
            asc.sampleRate(),
            capture,
            unit.receivedMicros(),
            Frame.AAC);
      }
      default -> {
        if (au.codec().isVideo()) {
          videoCodec = au.codec(); // H.265: known, so the offer is refused with the reason
        }
        return null;
      }
    }
  }

  /**
   * Keeps the keyframe's parameter sets of these NAL types (-1: none), in that order, if it has one
   * of each (what an RTSP description's sprop-parameter-sets / sprop-vps/sps/pps carry).
   */
  private void keepParameterSets(AccessUnit au, int... types) {
    List<byte[]> found = new ArrayList<>();
    for (int type : types) {
      if (type < 0) {
        continue;
      }
      byte[] nal = null;
      for (byte[] n : withConfig(au)) {
        if (n.length > 2 && nalType(au.codec(), n) == type) {
          nal = n;
        }
      }
      if (nal == null) {
        return;
      }
      found.add(nal);
    }
    parameterSets = List.copyOf(found);
  }

  private static int nalType(Codec codec, byte[] nal) {
    return codec == Codec.H265 ? H265NalType.type(nal) : nal[0] & 0x1F;
  }

  /**
   * The latest keyframe's parameter sets without start codes: H.264 SPS, PPS; H.265 VPS, SPS, PPS.
   * Empty before a keyframe that carried (or was configured with) all of them.
   */
  public synchronized List<byte[]> parameterSets() {
    return parameterSets;
  }

  /** The stream's AAC configuration (AudioSpecificConfig), or null: none seen (or not AAC). */
  public synchronized byte[] aacConfigBytes() {
    return aacConfig;
  }

  /** The AAC format of a configuration, or null if it cannot be read. */
  private static AudioSpecificConfig parsed(byte[] config) {
    try {
      return AudioSpecificConfig.parse(config);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The stream's AAC sample rate and channels, or null. */
  public synchronized AudioSpecificConfig aacFormat() {
    return aacFormat;
  }

  /** The source's audio codec (AAC, G.711, …) in the current session, or null: none seen yet. */
  public synchronized Codec sourceAudio() {
    return audioCodec;
  }

  /** The source's video codec, or null before the first video unit. */
  public synchronized Codec videoCodec() {
    return videoCodec;
  }

  /** Whether a video keyframe of the current session was packetized (a reader starts from it). */
  public synchronized boolean hasKeyframe() {
    return !gop.isEmpty();
  }

  private void startTranscoding() {
    OpusTranscoding[] self = new OpusTranscoding[1];
    self[0] = new OpusTranscoding(key, p -> transcoded(self[0], p));
    transcoding = self[0];
  }

  private void stopTranscoding() {
    if (transcoding != null) {
      transcoding.close(); // does not wait: its thread may be waiting for this lock in transcoded()
      transcoding = null;
    }
  }

  /** An Opus packet from the transcoding thread. */
  private synchronized void transcoded(OpusTranscoding from, OpusPacket p) {
    if (closed || from != transcoding) {
      return; // stopped meanwhile
    }
    fanOut(
        new Frame(
            false,
            opus.packetize(p.data(), p.pts(), OpusPacket.CLOCK_RATE),
            opus.clockRate(),
            p.captureMicros(),
            p.receivedMicros(),
            "opus"));
  }

  /** The transcoding of the stream's AAC while it runs (viewers receive audio), else null. */
  synchronized OpusTranscoding transcoding() {
    return transcoding;
  }

  /** Whether the stream's AAC is being transcoded to Opus now (a metric). */
  public synchronized boolean transcodingAudio() {
    return transcoding != null;
  }

  /** The WebRTC audio of a stream codec: G.711 as it is, AAC as Opus (transcoded). */
  private static RtpAudioCodec webRtcAudio(Codec codec) {
    return codec == Codec.AAC ? RtpAudioCodec.OPUS : RtpAudioCodec.of(codec).orElse(null);
  }

  /** The codec configuration's NAL units, then the access unit's: where an SPS may be. */
  private static List<byte[]> withConfig(AccessUnit au) {
    List<byte[]> nals = new ArrayList<>();
    if (au.codecConfig() != null) {
      nals.addAll(AnnexB.split(au.codecConfig()));
    }
    nals.addAll(AnnexB.split(au.data()));
    return nals;
  }

  private static Optional<H265ProfileTierLevel> h265ProfileOf(AccessUnit au) {
    for (byte[] nal : withConfig(au)) {
      if (H265NalType.type(nal) == H265NalType.SPS) {
        try {
          return Optional.of(H265ProfileTierLevel.of(H265Sps.parse(nal)));
        } catch (RuntimeException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<H264ProfileLevelId> profileOf(AccessUnit au) {
    for (byte[] nal : withConfig(au)) {
      if (nal.length > 3 && (nal[0] & 0x1F) == H264NalType.SPS) {
        try {
          return Optional.of(H264ProfileLevelId.of(H264Sps.parse(nal)));
        } catch (RuntimeException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What the stream carries, once a video keyframe came (empty before: nothing to negotiate with).
   */
  public synchronized Optional<StreamCodecs> codecs() {
    if (videoCodec == null || gop.isEmpty()) {
      return Optional.empty();
    }
    RtpAudioCodec audio = audioCodec == null ? null : webRtcAudio(audioCodec);
    if (videoCodec == Codec.H265) {
      return Optional.of(StreamCodecs.h265(h265Profile, audio));
    }
    // H.264 whose SPS could not be read: nothing to match an offer against
    return profile == null ? Optional.empty() : Optional.of(StreamCodecs.h264(profile, audio));
  }

  /** Whether the current source session has B-frames (WebRTC cannot carry them). */
  public synchronized boolean reorders() {
    return reorders;
  }

  /**
   * Video frames of the current session after which {@link #reorders} is known: in decode order a
   * GOP goes I P B …, so the first B-frame is the third frame, and six cover an encoder that codes
   * P before B or drops one.
   */
  static final int REORDER_JUDGED_AFTER = 6;

  /**
   * Whether enough of the session's video was seen to say whether it reorders: an offer answered on
   * the keyframe alone (a stream that just started) would take a B-frame camera for one without. A
   * stream whose SPS admits no reordering (ingest gives its keyframes dts = pts) is known at once
   * (docs/record-format.md, "Decode times").
   */
  public synchronized boolean reorderingKnown() {
    return reorders || !mayReorder || videoFrames >= REORDER_JUDGED_AFTER;
  }

  /**
   * Video frames of the current session after which a stream without audio is taken to have none: a
   * camera's audio frames come between its video frames (ingest writes each as it comes), so an
   * audio track shows up within the first few frames after the keyframe a feed starts at.
   */
  static final int AUDIO_JUDGED_AFTER = 10;

  /**
   * Whether the stream is known to have audio or not: a description made earlier (RTSP's DESCRIBE,
   * just after the feed started at a keyframe) would leave a camera's audio track out.
   */
  public synchronized boolean audioKnown() {
    return audioCodec != null || videoFrames >= AUDIO_JUDGED_AFTER;
  }

  /** Nanoseconds since the last frame (offline detection), or -1 if none came yet. */
  public synchronized long quietNanos() {
    return lastFrameNanos == 0 ? -1 : System.nanoTime() - lastFrameNanos;
  }

  /** Adds a viewer and gives it the GOP to start with; false if the stream has stopped. */
  public synchronized boolean join(Reader viewer) {
    if (closed) {
      return false;
    }
    if (viewers.add(viewer)
        && viewer.receivesAudio()
        && audioViewers++ == 0
        && audioCodec == Codec.AAC) {
      startTranscoding();
    }
    viewer.start(new Start(List.copyOf(gop)));
    return true;
  }

  /** The packetized frames from the latest keyframe (a picture-loss answer). */
  synchronized List<Frame> gop() {
    return List.copyOf(gop);
  }

  public synchronized void leave(Reader viewer) {
    if (viewers.remove(viewer) && viewer.receivesAudio() && --audioViewers == 0) {
      stopTranscoding(); // the last viewer that hears it left
    }
  }

  public synchronized int viewers() {
    return viewers.size();
  }

  /** The stream stops (no viewer left, or the camera was removed): its viewers are closed. */
  @Override
  public void close() {
    List<Reader> left;
    synchronized (this) {
      closed = true;
      left = List.copyOf(viewers);
      viewers.clear();
      audioViewers = 0;
      stopTranscoding();
    }
    left.forEach(v -> v.close("the stream stopped"));
  }
}
