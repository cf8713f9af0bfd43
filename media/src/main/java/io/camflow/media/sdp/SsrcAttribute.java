package io.camflow.media.sdp;

/**
 * {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576 4.1), e.g. {@code cname}.
 *
 * @param value empty for an attribute without value
 */
public record SsrcAttribute(long ssrc, String attribute, String value) {}
