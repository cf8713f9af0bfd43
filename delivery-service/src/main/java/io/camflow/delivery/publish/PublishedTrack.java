package io.camflow.delivery.publish;

import io.camflow.media.Codec;
import java.util.Objects;

/**
 * One track of a stream pushed into camflow, as its publisher described it (an RTSP ANNOUNCE's
 * SDP).
 *
 * @param index the track number its access units carry ({@code camflow.track}): its place in the
 *     description, as ingest numbers a pulled camera's tracks
 * @param codec what it carries
 * @param clockRate its RTP clock (90000 for video, the sample rate for audio): the timebase of its
 *     access units
 * @param channels audio channels, 0 for video
 * @param config video: the parameter sets the description names, in Annex B (may be empty: then
 *     they come in-band); AAC: the AudioSpecificConfig; G.711: empty
 */
public record PublishedTrack(int index, Codec codec, int clockRate, int channels, byte[] config) {

  public PublishedTrack {
    Objects.requireNonNull(codec, "codec");
    config = config == null ? new byte[0] : config;
    if (index < 0) {
      throw new IllegalArgumentException("track index must be >= 0, was " + index);
    }
    if (clockRate <= 0) {
      throw new IllegalArgumentException("clock rate must be > 0, was " + clockRate);
    }
  }

  public boolean video() {
    return codec.isVideo();
  }
}
