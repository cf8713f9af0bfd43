package io.camflow.webrtc.ice;

import java.net.InetAddress;

/**
 * A host candidate of the shared UDP port, as it goes into the SDP answer (RFC 8839 §5.1).
 *
 * @param foundation same for candidates of the same address
 * @param priority RFC 8445 §5.1.2.1 with type preference 126 (host)
 * @param address the IP the browser sends to
 * @param port the shared WebRTC port
 */
public record IceCandidate(String foundation, long priority, InetAddress address, int port) {

  /** Component 1 (RTP; rtcp-mux is required), UDP, host. */
  public static IceCandidate host(int index, InetAddress address, int port) {
    int localPreference = 65535 - Math.min(index, 65535);
    long priority = (126L << 24) + ((long) localPreference << 8) + (256 - 1);
    return new IceCandidate(Integer.toString(index + 1), priority, address, port);
  }

  /**
   * The attribute value without {@code a=}: {@code candidate:1 1 udp 2130706431 192.0.2.7 8189 typ
   * host}.
   */
  public String toSdp() {
    return "candidate:"
        + foundation
        + " 1 udp "
        + priority
        + " "
        + address.getHostAddress()
        + " "
        + port
        + " typ host";
  }
}
