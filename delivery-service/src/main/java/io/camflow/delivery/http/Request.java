package io.camflow.delivery.http;

/**
 * What delivery needs of an HTTP request to answer a GET, whatever carried it (the Netty hot path
 * or the Camel route).
 *
 * @param uri the raw request URI (path and query)
 * @param client the client's address (viewer counting, failure limits)
 * @param loopback whether the client connected over loopback
 * @param authorization the Authorization header, or null
 */
public record Request(String uri, String client, boolean loopback, String authorization) {}
