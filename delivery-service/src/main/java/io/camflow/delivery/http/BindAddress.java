package io.camflow.delivery.http;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The local address delivery's ports listen on ({@code CAMFLOW_HTTP_HOST}): HTTP, HTTPS and the
 * WebRTC UDP port. Every interface by default; {@code 127.0.0.1} keeps delivery to this machine
 * (what {@code ./camflow up --demo} sets, with its well-known passwords). An IP address only: a
 * host name could resolve to something else tomorrow.
 */
public record BindAddress(InetAddress address) {

  public static final String VARIABLE = "CAMFLOW_HTTP_HOST";
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  /** Every interface ({@code 0.0.0.0}). */
  public static BindAddress all() {
    return parse("0.0.0.0");
  }

  /** {@code delivery.http.host}: every interface unless set. */
  public static BindAddress from(Settings settings) {
    return parse(settings.get(CamflowOptions.HTTP_HOST));
  }

  /**
   * @throws IllegalArgumentException unless {@code text} is an IPv4 or IPv6 address literal
   */
  public static BindAddress parse(String text) {
    String literal =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
      throw new IllegalArgumentException(
          VARIABLE
              + " must be an IP address of this machine (0.0.0.0 for every"
              + " interface, 127.0.0.1 for this machine only), was '"
              + text
              + "'");
    }
    try {
      return new BindAddress(InetAddress.getByName(literal)); // a literal: no name lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(VARIABLE + " is not a valid IP address: '" + text + "'");
    }
  }

  /** Every interface: {@code 0.0.0.0} or {@code ::}. */
  public boolean anyLocal() {
    return address.isAnyLocalAddress();
  }

  /**
   * The address as Netty and log lines want it: {@code 0.0.0.0}, {@code 127.0.0.1}, {@code ::1}.
   */
  public String host() {
    return address.getHostAddress();
  }

  /**
   * A socket address of this address and port; every interface as the wildcard address (IPv4 and
   * IPv6).
   */
  public InetSocketAddress socket(int port) {
    return anyLocal() ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
  }

  @Override
  public String toString() {
    return host();
  }
}
