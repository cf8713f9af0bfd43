package io.camflow.delivery.door;

import io.camflow.delivery.auth.TrustedProxies;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who sent a request, as far as delivery can tell: the TCP peer, or, when the peer is a trusted
 * proxy ({@link TrustedProxies}), the client the proxies name in {@code X-Forwarded-For} or {@code
 * Forwarded} (RFC 7239). The address counts refused requests (the failure budget), opens health to
 * loopback, and is shown with a viewer's session.
 *
 * <p>The forwarding headers are a list each proxy appends to, and anything left of the last trusted
 * proxy's entry may have been written by the client itself. So the list is read from the right:
 * trusted proxies are skipped, and the first address that is not one is the client; an entry that
 * is not an address (obfuscated, {@code unknown}, garbage) ends the walk at the last trusted hop.
 * When both headers are present and name different clients, neither is believed (the peer is the
 * client): a proxy sets one, and a client may have written the other.
 *
 * @param address the client's address as text ({@code 192.0.2.7}, {@code 2001:db8::7})
 * @param loopback whether the client is on this host
 */
public record ClientAddress(String address, boolean loopback) {

  /** Hops read from the right of a forwarding header at most. */
  static final int MAX_HOPS = 16;

  /** The client of a request from {@code peer} with these headers. */
  public static ClientAddress of(SocketAddress peer, HttpHeaders headers, TrustedProxies proxies) {
    if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
      return new ClientAddress(String.valueOf(peer), false);
    }
    InetAddress client = socket.getAddress();
    if (proxies.trusts(client)) {
      InetAddress byXff = walk(client, entries(headers.getAll("X-Forwarded-For"), false), proxies);
      InetAddress byForwarded = walk(client, entries(headers.getAll("Forwarded"), true), proxies);
      boolean xff = headers.contains("X-Forwarded-For");
      boolean forwarded = headers.contains("Forwarded");
      if (xff && forwarded) {
        client = byXff.equals(byForwarded) ? byXff : client;
      } else if (xff) {
        client = byXff;
      } else if (forwarded) {
        client = byForwarded;
      }
    }
    return new ClientAddress(client.getHostAddress(), client.isLoopbackAddress());
  }

  /** The client behind {@code peer} along {@code hops} (nearest last). */
  private static InetAddress walk(InetAddress peer, List<String> hops, TrustedProxies proxies) {
    InetAddress client = peer;
    for (int i = hops.size() - 1, seen = 0;
        i >= 0 && seen < MAX_HOPS && proxies.trusts(client);
        i--, seen++) {
      InetAddress hop = literal(hops.get(i));
      if (hop == null) {
        break; // not an address: the last trusted hop is all that is known
      }
      client = hop;
    }
    return client;
  }

  /**
   * The addresses of the header lines, in order: X-Forwarded-For's items or Forwarded's {@code
   * for=}.
   */
  private static List<String> entries(List<String> lines, boolean rfc7239) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      for (String element : line.split(",")) {
        if (!rfc7239) {
          out.add(element.trim());
          continue;
        }
        String forValue = null;
        for (String pair : element.split(";")) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
            forValue = pair.substring(eq + 1).trim();
          }
        }
        out.add(
            forValue == null
                ? ""
                : forValue); // an element without for= is a hop we know nothing of
      }
    }
    return out;
  }

  /**
   * The address of one entry: {@code 192.0.2.7}, {@code 192.0.2.7:4711}, {@code 2001:db8::7},
   * {@code [2001:db8::7]:4711}, quoted or not; null for anything else (never a name lookup).
   */
  static InetAddress literal(String entry) {
    String s = entry.trim();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || !(close == s.length() - 1 || s.charAt(close + 1) == ':')) {
        return null;
      }
      s = s.substring(1, close);
    } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') > 0) {
      s = s.substring(0, s.indexOf(':')); // IPv4 with a port
    }
    byte[] bytes =
        s.length() > 45 || s.indexOf('%') >= 0
            ? null
            : NetUtil.createByteArrayFromIpAddressString(s);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
