package io.camflow.media.hls;

/**
 * The {@code EXT-X-PRELOAD-HINT:TYPE=PART} tag (RFC 8216bis 4.4.5.3): the URI of the next Partial
 * Segment, which a client may request before it exists. The URI must be the one the part will have
 * in its {@code EXT-X-PART} tag once it is published.
 */
public record PreloadHint(String uri) {

  public PreloadHint {
    HlsFormat.requireUri("preload hint", uri);
  }
}
