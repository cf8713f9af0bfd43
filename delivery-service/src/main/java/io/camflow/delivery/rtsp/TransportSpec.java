package io.camflow.delivery.rtsp;

import java.util.Locale;
import java.util.Optional;

/**
 * What a SETUP's Transport header asks for (RFC 2326 12.39), as far as this server answers it: the
 * first alternative of the list that is RTP over TCP (interleaved) or, where UDP is served, RTP
 * over UDP unicast to client ports. A {@code destination} is ignored: UDP goes only to the address
 * the RTSP connection comes from.
 *
 * @param tcp interleaved on the connection, else UDP
 * @param rtpChannel TCP: the interleaved channel of RTP, -1: the server picks
 * @param clientRtpPort UDP: the client's RTP port
 * @param clientRtcpPort UDP: the client's RTCP port
 * @param record whether the client wants to publish ({@code mode=record})
 */
record TransportSpec(
    boolean tcp, int rtpChannel, int clientRtpPort, int clientRtcpPort, boolean record) {

  static TransportSpec interleaved(int rtpChannel) {
    return new TransportSpec(true, rtpChannel, -1, -1, false);
  }

  static TransportSpec udp(int clientRtpPort, int clientRtcpPort) {
    return new TransportSpec(false, -1, clientRtpPort, clientRtcpPort, false);
  }

  /** The first alternative this server takes, or empty (junk, multicast, UDP where it is off). */
  static Optional<TransportSpec> choose(String header, boolean udpServed) {
    if (header == null || header.length() > 1024) {
      return Optional.empty();
    }
    for (String alternative : header.split(",")) {
      Optional<TransportSpec> spec = parse(alternative, udpServed);
      if (spec.isPresent()) {
        return spec;
      }
    }
    return Optional.empty();
  }

  private static Optional<TransportSpec> parse(String alternative, boolean udpServed) {
    String[] parts = alternative.trim().split(";");
    String protocol = parts[0].trim().toUpperCase(Locale.ROOT);
    boolean tcp = protocol.equals("RTP/AVP/TCP");
    boolean udp = protocol.equals("RTP/AVP") || protocol.equals("RTP/AVP/UDP");
    if (!tcp && !(udp && udpServed)) {
      return Optional.empty();
    }
    int channel = -1;
    int[] clientPorts = null;
    boolean record = false;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim().toLowerCase(Locale.ROOT);
      if (p.equals("multicast")) {
        return Optional.empty();
      } else if (p.startsWith("interleaved=")) {
        channel = pair(p.substring("interleaved=".length()), 0, 254)[0];
        if (channel < 0) {
          return Optional.empty();
        }
      } else if (p.startsWith("client_port=")) {
        clientPorts = pair(p.substring("client_port=".length()), 1, 65534);
      } else if (p.equals("mode=record") || p.equals("mode=\"record\"")) {
        record = true;
      }
    }
    if (udp && (clientPorts == null || clientPorts[0] < 0)) {
      return Optional.empty();
    }
    return Optional.of(
        tcp
            ? new TransportSpec(true, channel, -1, -1, record)
            : new TransportSpec(false, -1, clientPorts[0], clientPorts[1], record));
  }

  /**
   * {@code n} or {@code n-m} with {@code min <= n <= max} and m = n + 1 (or m absent: n + 1): {n,
   * m}, or {-1, -1}.
   */
  private static int[] pair(String range, int min, int max) {
    String[] ends = range.split("-", -1);
    try {
      int first = Integer.parseInt(ends[0]);
      if (ends.length > 2 || first < min || first > max) {
        return new int[] {-1, -1};
      }
      if (ends.length == 2 && Integer.parseInt(ends[1]) != first + 1) {
        return new int[] {-1, -1};
      }
      return new int[] {first, first + 1};
    } catch (NumberFormatException e) {
      return new int[] {-1, -1};
    }
  }
}
