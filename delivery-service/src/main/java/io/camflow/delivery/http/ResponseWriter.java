package io.camflow.delivery.http;

import io.camflow.delivery.hls.Reply;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns a {@link Reply} into the Camel message netty-http sends back: status, headers (none of the
 * request's), and the body as one Netty buffer wrapping the window's chunk arrays without copying
 * them. Playlists are gzipped for clients that accept it; media is not (it does not compress).
 */
public final class ResponseWriter {

  private final String corsOrigin;

  /** @param corsOrigin the Access-Control-Allow-Origin value; empty to send none */
  public ResponseWriter(String corsOrigin) {
    this.corsOrigin = corsOrigin;
  }

  public void write(Exchange exchange, Reply reply, boolean acceptsGzip) {
    Message m = exchange.getMessage();
    m.getHeaders().clear(); // request headers must not echo back
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
    m.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
    m.setHeader("Cache-Control", reply.cacheControl());
    if (!corsOrigin.isEmpty()) {
      m.setHeader("Access-Control-Allow-Origin", corsOrigin);
      if (reply.status() == 204) {
        m.setHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
        m.setHeader("Access-Control-Max-Age", "86400");
      }
    }
    if (reply.isPlaylist()) {
      m.setHeader("Vary", "Accept-Encoding");
      if (acceptsGzip) {
        m.setHeader("Content-Encoding", "gzip");
        m.setBody(gzip(reply.bytes()));
        return;
      }
    }
    if (reply.body().size() == 1) {
      m.setBody(reply.body().get(0));
    } else {
      m.setBody(Unpooled.wrappedBuffer(reply.body().toArray(new byte[0][])));
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
