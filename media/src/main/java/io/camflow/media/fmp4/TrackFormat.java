package io.camflow.media.fmp4;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h264.H264Sps;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.H265Sps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an init segment says about one track. Two formats that are {@code equals} produce the same
 * init segment; when a stream's format changes (new parameter sets, new audio config), the packager
 * writes a new init segment.
 *
 * <p>Arrays are not copied; treat them as immutable. {@code equals}/{@code hashCode} compare their
 * contents.
 *
 * @param trackId ISO BMFF track_ID, {@code >= 1}; the same id goes into {@link TrackRun}
 * @param timescale ticks per second of every time of this track (tfdt, durations, offsets)
 * @param width video: displayed width from the SPS; audio: 0
 * @param height video: displayed height from the SPS; audio: 0
 * @param parameterSets video: VPS (H.265), SPS, PPS NAL units without start codes, in that order;
 *     audio: empty
 * @param audioSpecificConfig AAC: the AudioSpecificConfig; otherwise {@code null}
 * @param sampleRate audio: samples per second; video: 0
 * @param channels audio: channel count; video: 0
 */
public record TrackFormat(
    int trackId,
    Codec codec,
    int timescale,
    int width,
    int height,
    List<byte[]> parameterSets,
    byte[] audioSpecificConfig,
    int sampleRate,
    int channels) {

  /** The clock of RTP video and of every camflow video access unit. */
  public static final int VIDEO_TIMESCALE = 90_000;

  public TrackFormat {
    Objects.requireNonNull(codec, "codec");
    parameterSets = parameterSets == null ? List.of() : List.copyOf(parameterSets);
    if (trackId < 1) {
      throw new IllegalArgumentException(
          "track id must be >= 1 (ISO BMFF reserves 0), was " + trackId);
    }
    if (timescale <= 0) {
      throw new IllegalArgumentException("timescale must be > 0, was " + timescale);
    }
    if (codec.isVideo()) {
      requireRange("width", width, 1, 65535);
      requireRange("height", height, 1, 65535);
      requireParameterSets(codec, parameterSets);
    } else {
      requireRange("sample rate", sampleRate, 1, Integer.MAX_VALUE);
      requireRange("channels", channels, 1, 65535);
      if (codec == Codec.AAC
          && (audioSpecificConfig == null || audioSpecificConfig.length > 0xFFFF)) {
        throw new IllegalArgumentException(
            "an AAC track needs its AudioSpecificConfig (2..65535 bytes)");
      }
    }
  }

  /**
   * A video track from the Annex-B parameter sets of a keyframe (the {@code camflow.config}
   * header). Width and height come from the SPS; the timescale is 90 kHz. NAL units other than
   * parameter sets are ignored; repeated identical ones are kept once.
   *
   * @throws IllegalArgumentException if a VPS (H.265), SPS or PPS is missing or the SPS does not
   *     parse
   */
  public static TrackFormat video(int trackId, Codec codec, byte[] annexBParameterSets) {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(annexBParameterSets, "annexBParameterSets");
    if (!codec.isVideo()) {
      throw new IllegalArgumentException(codec.id() + " is not a video codec");
    }
    List<byte[]> sets = inDecodingOrder(codec, AnnexB.split(annexBParameterSets));
    requireParameterSets(codec, sets);
    byte[] sps = firstOfType(codec, sets, spsType(codec));
    int width;
    int height;
    if (codec == Codec.H264) {
      H264Sps parsed = H264Sps.parse(sps);
      width = parsed.width();
      height = parsed.height();
    } else {
      H265Sps parsed = H265Sps.parse(sps);
      width = parsed.width();
      height = parsed.height();
    }
    return new TrackFormat(trackId, codec, VIDEO_TIMESCALE, width, height, sets, null, 0, 0);
  }

  /**
   * An AAC track; sample rate and channels from the AudioSpecificConfig, timescale = sample rate
   * (the RTP clock of {@code mpeg4-generic}).
   *
   * @throws IllegalArgumentException if the AudioSpecificConfig does not parse
   */
  public static TrackFormat aac(int trackId, byte[] audioSpecificConfig) {
    AudioSpecificConfig asc = AudioSpecificConfig.parse(audioSpecificConfig);
    return new TrackFormat(
        trackId,
        Codec.AAC,
        asc.sampleRate(),
        0,
        0,
        List.of(),
        audioSpecificConfig,
        asc.sampleRate(),
        asc.channels());
  }

  /**
   * A G.711 track ({@link Codec#PCMU} or {@link Codec#PCMA}); timescale = sample rate. See {@code
   * docs/fmp4.md}: FFmpeg and VLC play it, browsers do not.
   */
  public static TrackFormat g711(int trackId, Codec codec, int sampleRate, int channels) {
    if (codec != Codec.PCMU && codec != Codec.PCMA) {
      throw new IllegalArgumentException("G.711 is pcmu or pcma, not " + codec);
    }
    return new TrackFormat(trackId, codec, sampleRate, 0, 0, List.of(), null, sampleRate, channels);
  }

  public boolean isVideo() {
    return codec.isVideo();
  }

  /** The same track with another timescale, for sources whose clock is not the default. */
  public TrackFormat withTimescale(int newTimescale) {
    return new TrackFormat(
        trackId,
        codec,
        newTimescale,
        width,
        height,
        parameterSets,
        audioSpecificConfig,
        sampleRate,
        channels);
  }

  /**
   * The RFC 6381 codec string for HLS {@code CODECS} and {@code MediaSource.isTypeSupported}:
   * {@code avc1.PPCCLL}, {@code hvc1.<profile>.<compat>.<tier><level>.<constraints>}, {@code
   * mp4a.40.<object type>}, or {@code ulaw}/{@code alaw} (the sample entry names, which is what
   * FFmpeg calls them in MP4; no RFC 6381 string exists for G.711).
   */
  public String codecString() {
    return switch (codec) {
      case H264 -> H264Sps.parse(sps()).codecString();
      case H265 -> H265Sps.parse(sps()).codecString();
      case AAC -> AudioSpecificConfig.parse(audioSpecificConfig).codecString();
      case PCMU -> "ulaw";
      case PCMA -> "alaw";
    };
  }

  /** The first SPS of a video track. */
  byte[] sps() {
    return firstOfType(codec, parameterSets, spsType(codec));
  }

  /** The parameter sets of one NAL unit type, in order. */
  List<byte[]> parameterSetsOfType(int nalType) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] nal : parameterSets) {
      if (nalType(codec, nal) == nalType) {
        out.add(nal);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TrackFormat that)) {
      return false;
    }
    if (trackId != that.trackId
        || codec != that.codec
        || timescale != that.timescale
        || width != that.width
        || height != that.height
        || sampleRate != that.sampleRate
        || channels != that.channels
        || !Arrays.equals(audioSpecificConfig, that.audioSpecificConfig)
        || parameterSets.size() != that.parameterSets.size()) {
      return false;
    }
    for (int i = 0; i < parameterSets.size(); i++) {
      if (!Arrays.equals(parameterSets.get(i), that.parameterSets.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(trackId, codec, timescale, width, height, sampleRate, channels);
    h = 31 * h + Arrays.hashCode(audioSpecificConfig);
    for (byte[] nal : parameterSets) {
      h = 31 * h + Arrays.hashCode(nal);
    }
    return h;
  }

  @Override
  public String toString() {
    return "TrackFormat[trackId="
        + trackId
        + ", codec="
        + codec.id()
        + ", timescale="
        + timescale
        + (codec.isVideo()
            ? ", " + width + "x" + height + ", parameterSets=" + parameterSets.size()
            : ", sampleRate="
                + sampleRate
                + ", channels="
                + channels
                + (audioSpecificConfig == null
                    ? ""
                    : ", audioSpecificConfig=" + audioSpecificConfig.length + " bytes"))
        + "]";
  }

  /** VPS, then SPS, then PPS, each in arrival order, identical repeats dropped; nothing else. */
  private static List<byte[]> inDecodingOrder(Codec codec, List<byte[]> nalUnits) {
    List<byte[]> ordered = new ArrayList<>();
    int[] types =
        codec == Codec.H264
            ? new int[] {H264NalType.SPS, H264NalType.PPS}
            : new int[] {H265NalType.VPS, H265NalType.SPS, H265NalType.PPS};
    for (int type : types) {
      for (byte[] nal : nalUnits) {
        if (nalType(codec, nal) == type
            && ordered.stream().noneMatch(seen -> Arrays.equals(seen, nal))) {
          ordered.add(nal);
        }
      }
    }
    return ordered;
  }

  private static void requireParameterSets(Codec codec, List<byte[]> sets) {
    for (byte[] nal : sets) {
      Objects.requireNonNull(nal, "parameter set");
      if (nal.length < (codec == Codec.H264 ? 2 : 3)) {
        throw new IllegalArgumentException(
            codec.id() + " parameter set of " + nal.length + " bytes is too short");
      }
      if (nal.length > 0xFFFF) {
        throw new IllegalArgumentException(
            codec.id()
                + " parameter set of "
                + nal.length
                + " bytes does not fit the 16-bit length of avcC/hvcC");
      }
    }
    String missing =
        codec == Codec.H264
            ? missing(codec, sets, new int[] {H264NalType.SPS, H264NalType.PPS}, "SPS", "PPS")
            : missing(
                codec,
                sets,
                new int[] {H265NalType.VPS, H265NalType.SPS, H265NalType.PPS},
                "VPS",
                "SPS",
                "PPS");
    if (missing != null) {
      throw new IllegalArgumentException(
          codec.id() + " track needs a " + missing + " (have " + sets.size() + " parameter sets)");
    }
  }

  private static String missing(Codec codec, List<byte[]> sets, int[] types, String... names) {
    for (int i = 0; i < types.length; i++) {
      if (firstOfType(codec, sets, types[i]) == null) {
        return names[i];
      }
    }
    return null;
  }

  private static byte[] firstOfType(Codec codec, List<byte[]> sets, int type) {
    for (byte[] nal : sets) {
      if (nalType(codec, nal) == type) {
        return nal;
      }
    }
    return null;
  }

  private static int spsType(Codec codec) {
    return codec == Codec.H264 ? H264NalType.SPS : H265NalType.SPS;
  }

  private static int nalType(Codec codec, byte[] nal) {
    return codec == Codec.H264 ? H264NalType.type(nal) : H265NalType.type(nal);
  }

  private static void requireRange(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + " must be " + min + ".." + max + ", was " + value);
    }
  }
}
