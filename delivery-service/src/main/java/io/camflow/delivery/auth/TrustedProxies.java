package io.camflow.delivery.auth;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The proxies in front of delivery whose word on the client's address is taken ({@code
 * CAMFLOW_TRUSTED_PROXIES}): address ranges in CIDR notation. Only a request whose TCP peer is in
 * one of them has its client address read from {@code X-Forwarded-For} / {@code Forwarded}; from
 * anyone else those headers are ignored, since any client can write them. Empty (the default):
 * every client is its TCP peer.
 *
 * @param ranges the trusted ranges
 */
public record TrustedProxies(List<Range> ranges) {

  /** No proxy trusted. */
  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  /** An address range: the addresses whose first {@code prefix} bits are {@code network}'s. */
  public record Range(byte[] network, int prefix) {

    public Range {
      network = network.clone();
      if (prefix < 0 || prefix > network.length * 8) {
        throw new IllegalArgumentException(
            "prefix length /" + prefix + " does not fit the address");
      }
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      int mask = (0xff << (8 - rest)) & 0xff;
      return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public byte[] network() {
      return network.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Range r && r.prefix == prefix && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
      } catch (java.net.UnknownHostException e) {
        return Arrays.toString(network) + "/" + prefix;
      }
    }
  }

  public TrustedProxies {
    ranges = List.copyOf(ranges);
  }

  /**
   * Reads a comma-separated list of ranges ({@code 10.0.0.0/8, 192.168.1.10, fd00::/8}; an address
   * alone is itself only). Literal addresses only: a host name is an error, never looked up.
   */
  public static TrustedProxies parse(String text) {
    List<Range> ranges = new ArrayList<>();
    for (String item : text.split(",")) {
      String r = item.trim();
      if (r.isEmpty()) {
        continue;
      }
      int slash = r.indexOf('/');
      String address = slash < 0 ? r : r.substring(0, slash);
      byte[] network = NetUtil.createByteArrayFromIpAddressString(address);
      if (network == null || address.indexOf('%') >= 0) {
        throw new IllegalArgumentException("'" + r + "' is not an IP address or CIDR range");
      }
      int prefix = network.length * 8;
      if (slash >= 0) {
        String bits = r.substring(slash + 1);
        if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > prefix) {
          throw new IllegalArgumentException("'" + r + "' has no prefix length 0.." + prefix);
        }
        prefix = Integer.parseInt(bits);
      }
      ranges.add(new Range(network, prefix));
    }
    return new TrustedProxies(ranges);
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** Whether {@code address} is a trusted proxy's. */
  public boolean trusts(InetAddress address) {
    if (address == null || ranges.isEmpty()) {
      return false;
    }
    byte[] a = address.getAddress();
    for (Range r : ranges) {
      if (r.contains(a)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return ranges.isEmpty()
        ? "none"
        : String.join(",", ranges.stream().map(Range::toString).toList());
  }
}
