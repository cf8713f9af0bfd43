package io.camflow.delivery.door;

import io.camflow.delivery.auth.TrustedProxies;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;

/**
 * What a door needs of an HTTP request, whichever route brought it.
 *
 * @param method the request method (GET, POST, ...)
 * @param uri the raw request URI (path and query)
 * @param client the client's address (viewer counting, failure limits): the TCP peer, or the client
 *     a trusted proxy names ({@link ClientAddress})
 * @param loopback whether the client is on this host
 * @param authorization the Authorization header, or null
 * @param contentType the Content-Type header, or null
 * @param body the request body (empty on the routes answered before the body is read)
 * @param range the Range header, or null
 * @param host the Host header, or null
 */
public record Request(
    String method,
    String uri,
    String client,
    boolean loopback,
    String authorization,
    String contentType,
    byte[] body,
    String range,
    String host) {

  private static final byte[] NONE = new byte[0];

  /** A GET without a body. */
  public Request(String uri, String client, boolean loopback, String authorization) {
    this("GET", uri, client, loopback, authorization, null, NONE, null, null);
  }

  /**
   * The request {@code request} from {@code peer}, its client read as {@link ClientAddress} says.
   */
  public static Request of(
      HttpRequest request, SocketAddress peer, TrustedProxies proxies, byte[] body) {
    ClientAddress client = ClientAddress.of(peer, request.headers(), proxies);
    return new Request(
        request.method().name(),
        request.uri(),
        client.address(),
        client.loopback(),
        request.headers().get(HttpHeaderNames.AUTHORIZATION),
        request.headers().get(HttpHeaderNames.CONTENT_TYPE),
        body == null ? NONE : body,
        request.headers().get(HttpHeaderNames.RANGE),
        request.headers().get(HttpHeaderNames.HOST));
  }

  /** The request {@code request} from {@code peer}, without its body. */
  public static Request of(HttpRequest request, SocketAddress peer, TrustedProxies proxies) {
    return of(request, peer, proxies, NONE);
  }

  /** The path of the URI (without the query). */
  public String path() {
    return path(uri);
  }

  /** The path of a request URI (without the query). */
  public static String path(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
