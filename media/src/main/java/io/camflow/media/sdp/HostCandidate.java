package io.camflow.media.sdp;

import java.util.Objects;

/**
 * A local address and UDP port camflow receives ICE and media on (ICE-lite: host candidates only).
 */
public record HostCandidate(String address, int port) {

  public HostCandidate {
    Objects.requireNonNull(address, "address");
    if (address.isBlank() || address.contains(" ")) {
      throw new IllegalArgumentException(
          "candidate address must be an IP literal, was '" + address + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("candidate port must be 1..65535, was " + port);
    }
  }

  boolean isIpv6() {
    return address.contains(":");
  }
}
