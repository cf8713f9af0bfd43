package io.camflow.media.sdp;

/** {@code c=} (RFC 8866 5.7); {@code address} may carry a {@code /ttl} suffix for multicast. */
public record Connection(String netType, String addrType, String address) {}
