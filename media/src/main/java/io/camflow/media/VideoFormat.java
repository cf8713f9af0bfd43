package io.camflow.media;

/**
 * What a viewer or a playlist needs to know about a video track, derived from its SPS.
 *
 * @param frameRate frames per second from the SPS timing info, 0 when the SPS does not say
 * @param codecString RFC 6381 codec string for HLS {@code CODECS} and MSE, e.g. {@code avc1.64001f}
 */
public record VideoFormat(
    Codec codec, int width, int height, double frameRate, String codecString) {}
