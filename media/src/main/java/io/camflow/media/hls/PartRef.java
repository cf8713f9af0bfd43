package io.camflow.media.hls;

/**
 * One Partial Segment as listed by an {@code EXT-X-PART} tag (RFC 8216bis 4.4.4.9).
 *
 * @param uri the part's URI, relative to the playlist, e.g. {@code part-120.3.m4s}
 * @param durationSeconds the part's duration; at most the playlist's PART-TARGET
 * @param independent whether the part starts with an independent frame (a keyframe); written as
 *     {@code INDEPENDENT=YES}
 */
public record PartRef(String uri, double durationSeconds, boolean independent) {

  public PartRef {
    HlsFormat.requireUri("part", uri);
    HlsFormat.requireDuration("part", durationSeconds);
  }
}
