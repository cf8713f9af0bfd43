package io.camflow.webrtc.stun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The XOR-MAPPED-ADDRESS value (RFC 5389 §15.2): family, port and address XOR'd with cookie and
 * transaction id.
 */
public final class XorMappedAddress {

  private static final int IPV4 = 0x01;
  private static final int IPV6 = 0x02;

  private XorMappedAddress() {}

  public static byte[] encode(InetSocketAddress address, byte[] transactionId) {
    byte[] ip = address.getAddress().getAddress();
    byte[] out = new byte[4 + ip.length];
    out[1] = (byte) (ip.length == 4 ? IPV4 : IPV6);
    int port = address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16);
    out[2] = (byte) (port >> 8);
    out[3] = (byte) port;
    byte[] mask = mask(transactionId);
    for (int i = 0; i < ip.length; i++) {
      out[4 + i] = (byte) (ip[i] ^ mask[i]);
    }
    return out;
  }

  public static InetSocketAddress decode(byte[] value, byte[] transactionId)
      throws StunParseException {
    if (value.length < 4) {
      throw new StunParseException("XOR-MAPPED-ADDRESS too short");
    }
    int family = value[1] & 0xFF;
    int expected = family == IPV4 ? 8 : family == IPV6 ? 20 : -1;
    if (expected < 0 || value.length != expected) {
      throw new StunParseException(
          "XOR-MAPPED-ADDRESS with family " + family + " and " + value.length + " bytes");
    }
    int port = (((value[2] & 0xFF) << 8) | (value[3] & 0xFF)) ^ (StunMessage.MAGIC_COOKIE >>> 16);
    byte[] mask = mask(transactionId);
    byte[] ip = new byte[value.length - 4];
    for (int i = 0; i < ip.length; i++) {
      ip[i] = (byte) (value[4 + i] ^ mask[i]);
    }
    try {
      InetAddress address =
          ip.length == 4 ? Inet4Address.getByAddress(ip) : InetAddress.getByAddress(ip);
      return new InetSocketAddress(address, port);
    } catch (UnknownHostException e) {
      throw new StunParseException("bad address bytes");
    }
  }

  private static byte[] mask(byte[] transactionId) {
    byte[] mask = new byte[16];
    int c = StunMessage.MAGIC_COOKIE;
    mask[0] = (byte) (c >> 24);
    mask[1] = (byte) (c >> 16);
    mask[2] = (byte) (c >> 8);
    mask[3] = (byte) c;
    System.arraycopy(transactionId, 0, mask, 4, 12);
    return mask;
  }
}
