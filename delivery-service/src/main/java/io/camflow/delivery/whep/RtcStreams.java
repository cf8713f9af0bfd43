package io.camflow.delivery.whep;

import io.camflow.media.StreamKey;

/**
 * Where WebRTC finds a stream's {@link RtcStream}: its stream hub, which starts the stream's access
 * unit feed for the first WebRTC viewer and stops it after the last (docs/delivery.md, "Stream
 * hubs").
 */
@FunctionalInterface
public interface RtcStreams {

  /** The stream's WebRTC stream, its feed started if it was not running. */
  RtcStream open(StreamKey key);
}
