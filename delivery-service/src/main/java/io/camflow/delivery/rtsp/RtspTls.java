package io.camflow.delivery.rtsp;

import io.netty.handler.ssl.SslContext;

/**
 * What RTSPS needs of delivery's TLS identity (the HTTPS certificate): the server context, and the
 * certificate's SHA-256 fingerprint for the log.
 */
public record RtspTls(SslContext context, String fingerprint) {}
