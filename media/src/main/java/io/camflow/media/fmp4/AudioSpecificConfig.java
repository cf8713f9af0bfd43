package io.camflow.media.fmp4;

import io.camflow.media.bits.BitReader;
import java.util.Objects;

/**
 * The first fields of an MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): enough for the
 * {@code mp4a} sample entry and the RFC 6381 codec string. The decoder reads the whole config from
 * {@code esds}; these values only label the track.
 *
 * @param objectType audioObjectType as signalled first (2 = AAC-LC, 5 = SBR, 29 = PS)
 * @param sampleRate the samplingFrequency (core rate; for explicit SBR/PS the rate before the
 *     extension doubles it)
 * @param channels from channelConfiguration; 2 when it is 0 (layout in a program config element,
 *     which this does not parse: players take the real count from the config itself)
 */
public record AudioSpecificConfig(int objectType, int sampleRate, int channels) {

  /** Table 1.18 of ISO/IEC 14496-3: samplingFrequencyIndex 0..12. */
  private static final int[] SAMPLE_RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  /**
   * channelConfiguration 0..14 to a channel count; -1 = reserved (ISO/IEC 14496-3 table 1.19,
   * 23001-8).
   */
  private static final int[] CHANNELS = {2, 1, 2, 3, 4, 5, 6, 8, -1, -1, -1, 7, 8, 24, 8, -1};

  /**
   * Parses the start of an AudioSpecificConfig.
   *
   * @throws IllegalArgumentException if it is truncated or names a reserved rate or layout
   */
  public static AudioSpecificConfig parse(byte[] asc) {
    Objects.requireNonNull(asc, "audioSpecificConfig");
    if (asc.length < 2) {
      throw new IllegalArgumentException(
          "AudioSpecificConfig needs at least 2 bytes, has " + asc.length);
    }
    BitReader r = new BitReader(asc);
    int objectType = r.readBits(5);
    if (objectType == 31) { // escape: 32 + 6 more bits
      objectType = 32 + r.readBits(6);
    }
    if (objectType == 0) {
      throw new IllegalArgumentException("AudioSpecificConfig audioObjectType 0 (null object)");
    }
    int rateIndex = r.readBits(4);
    int sampleRate;
    if (rateIndex == 0xF) {
      sampleRate = r.readBits(24);
    } else if (rateIndex < SAMPLE_RATES.length) {
      sampleRate = SAMPLE_RATES[rateIndex];
    } else {
      throw new IllegalArgumentException(
          "AudioSpecificConfig samplingFrequencyIndex " + rateIndex + " is reserved");
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException(
          "AudioSpecificConfig sampling frequency must be > 0, was " + sampleRate);
    }
    int channelConfiguration = r.readBits(4);
    int channels = CHANNELS[channelConfiguration];
    if (channels < 0) {
      throw new IllegalArgumentException(
          "AudioSpecificConfig channelConfiguration " + channelConfiguration + " is reserved");
    }
    return new AudioSpecificConfig(objectType, sampleRate, channels);
  }

  /** RFC 6381: {@code mp4a.40.<audioObjectType>}, e.g. {@code mp4a.40.2} for AAC-LC. */
  String codecString() {
    return "mp4a.40." + objectType;
  }
}
