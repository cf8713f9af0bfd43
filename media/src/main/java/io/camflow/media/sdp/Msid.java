package io.camflow.media.sdp;

/** {@code a=msid:<stream id> [<track id>]} (RFC 8830 2); {@code trackId} empty when absent. */
public record Msid(String streamId, String trackId) {}
