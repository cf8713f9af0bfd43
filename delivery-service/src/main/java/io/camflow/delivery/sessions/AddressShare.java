package io.camflow.delivery.sessions;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Which share of the limits a client address counts against ({@link ViewerLimits#perAddress()},
 * {@link ViewerLimits#heldPerAddress()}). An IPv4 address is one share; an IPv6 address counts by
 * its /64 network, since one household or host is given a whole /64 and may use any address in it.
 * An address of this machine (loopback) has no share: that is where a reverse proxy on the same
 * host connects from, on behalf of everyone.
 */
public final class AddressShare {

  private AddressShare() {}

  /**
   * The key the address is counted under, or null when it has no share.
   *
   * @param remote a client address as delivery writes it ({@code InetAddress.getHostAddress()})
   */
  public static String of(String remote) {
    if (remote == null || remote.isEmpty()) {
      return null;
    }
    if (remote.indexOf(':') < 0) {
      return remote.startsWith("127.") ? null : remote;
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(remote); // an IPv6 literal (it has a ':'): parsed, never looked up
    } catch (UnknownHostException | SecurityException e) {
      return remote;
    }
    if (a.isLoopbackAddress()) {
      return null;
    }
    if (!(a instanceof Inet6Address)) {
      return a.getHostAddress();
    }
    byte[] b = a.getAddress();
    StringBuilder network = new StringBuilder();
    for (int i = 0; i < 8; i += 2) {
      network.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
    }
    return network.append(":/64").toString();
  }
}
