package io.camflow.webrtc.ice;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host candidates of the shared port: configured extra hosts first (a NAT's public address or a
 * Docker host's address is what a remote browser can reach), then this machine's addresses.
 * Link-local IPv6 is left out (it needs a scope no browser can use); loopback only when asked for
 * (tests).
 */
public final class HostCandidates {

  private HostCandidates() {}

  /**
   * @param port the shared WebRTC port
   * @param extraHosts IPs or host names (resolved once, here) to announce before the interface
   *     addresses
   * @param includeLoopback whether 127.0.0.1 / ::1 are candidates
   * @throws IllegalArgumentException when an extra host does not resolve
   */
  public static List<IceCandidate> gather(
      int port, List<String> extraHosts, boolean includeLoopback) {
    return gather(port, extraHosts, includeLoopback, true);
  }

  /**
   * @param includeInterfaces whether this machine's interface addresses are announced after the
   *     extra hosts
   */
  public static List<IceCandidate> gather(
      int port, List<String> extraHosts, boolean includeLoopback, boolean includeInterfaces) {
    Set<InetAddress> addresses = new LinkedHashSet<>();
    for (String host : extraHosts) {
      try {
        addresses.add(InetAddress.getByName(host.trim()));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("CAMFLOW_WEBRTC_HOSTS: '" + host + "' does not resolve");
      }
    }
    if (includeInterfaces) {
      addresses.addAll(interfaceAddresses(includeLoopback));
    } else if (includeLoopback) {
      addresses.addAll(
          interfaceAddresses(true).stream().filter(InetAddress::isLoopbackAddress).toList());
    }
    List<IceCandidate> candidates = new ArrayList<>();
    int i = 0;
    for (InetAddress a : addresses) {
      candidates.add(IceCandidate.host(i++, a, port));
    }
    return List.copyOf(candidates);
  }

  static List<InetAddress> interfaceAddresses(boolean includeLoopback) {
    List<InetAddress> v4 = new ArrayList<>();
    List<InetAddress> v6 = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
            continue;
          }
          if (a.isLoopbackAddress() && !includeLoopback) {
            continue;
          }
          // without the scope (%eth0): SDP has no place for it, and a global address needs none
          InetAddress plain = a instanceof Inet6Address ? unscoped(a) : a;
          (a instanceof Inet6Address ? v6 : v4).add(plain);
        }
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list network interfaces: " + e.getMessage(), e);
    }
    // IPv4 first: browsers try higher priorities first and IPv4 is what most viewers reach
    List<InetAddress> all = new ArrayList<>(v4);
    all.addAll(v6);
    return all;
  }

  private static InetAddress unscoped(InetAddress a) {
    try {
      return InetAddress.getByAddress(a.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
