package io.camflow.media.sdp;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285 8).
 *
 * @param direction null when the line gives none
 * @param attributes empty when none
 */
public record ExtMap(int id, Direction direction, String uri, String attributes) {}
