package io.camflow.media.sdp;

/** {@code o=} (RFC 8866 5.2). */
public record Origin(
    String username,
    String sessionId,
    String sessionVersion,
    String netType,
    String addrType,
    String address) {}
