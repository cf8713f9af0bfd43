package io.camflow.media.sdp;

import io.camflow.media.Codec;
import java.util.Optional;

/** The audio codecs WebRTC browsers play that a camera stream can carry unchanged. */
public enum RtpAudioCodec {
  OPUS("opus", 48_000, 2),
  PCMU("PCMU", 8_000, 1),
  PCMA("PCMA", 8_000, 1);

  private final String encodingName;
  private final int clockRate;
  private final int channels;

  RtpAudioCodec(String encodingName, int clockRate, int channels) {
    this.encodingName = encodingName;
    this.clockRate = clockRate;
    this.channels = channels;
  }

  public String encodingName() {
    return encodingName;
  }

  public int clockRate() {
    return clockRate;
  }

  /** In the rtpmap: Opus is always written {@code /2} (RFC 7587 7), G.711 is mono. */
  public int channels() {
    return channels;
  }

  /**
   * The WebRTC codec of a camflow stream codec; AAC has none (browsers do not take it over RTP).
   */
  public static Optional<RtpAudioCodec> of(Codec codec) {
    return switch (codec) {
      case PCMU -> Optional.of(PCMU);
      case PCMA -> Optional.of(PCMA);
      default -> Optional.empty();
    };
  }

  boolean matches(RtpMap map) {
    return map.is(encodingName, clockRate) && (this != OPUS || map.channels() == 2);
  }

  String describe() {
    return encodingName + "/" + clockRate + (channels > 1 ? "/" + channels : "");
  }
}
