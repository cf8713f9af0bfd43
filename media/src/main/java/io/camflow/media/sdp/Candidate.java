package io.camflow.media.sdp;

import java.util.Map;

/**
 * {@code a=candidate:} (RFC 8839 5.1): {@code <foundation> <component> <transport> <priority>
 * <address> <port> typ <type> [raddr <a>] [rport <p>] *(<name> <value>)}. The address may be an
 * mDNS name ({@code <uuid>.local}), as browsers hide local IPs that way.
 *
 * @param extensions the name/value pairs after the type, {@code raddr}/{@code rport} included
 */
public record Candidate(
    String foundation,
    int component,
    String transport,
    long priority,
    String address,
    int port,
    String type,
    Map<String, String> extensions) {

  public Candidate {
    extensions = Map.copyOf(extensions);
  }
}
