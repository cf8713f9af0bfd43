package io.camflow.delivery.http;

import io.camflow.delivery.auth.TrustedProxies;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;

/**
 * What delivery needs of an HTTP request to answer a GET, whatever carried it (the Netty hot path
 * or the Camel route).
 *
 * @param uri the raw request URI (path and query)
 * @param client the client's address (viewer counting, failure limits): the TCP peer, or the client a
 *     trusted proxy names ({@link ClientAddress})
 * @param loopback whether the client is on this host
 * @param authorization the Authorization header, or null
 */
public record Request(String uri, String client, boolean loopback, String authorization) {

  /** The request {@code request} from {@code peer}, its client read as {@link ClientAddress} says. */
  public static Request of(HttpRequest request, SocketAddress peer, TrustedProxies proxies) {
    ClientAddress client = ClientAddress.of(peer, request.headers(), proxies);
    return new Request(request.uri(), client.address(), client.loopback(),
        request.headers().get(HttpHeaderNames.AUTHORIZATION));
  }
}
