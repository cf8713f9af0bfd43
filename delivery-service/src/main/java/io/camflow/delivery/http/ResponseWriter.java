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

  private final CorsPolicy cors;

  public ResponseWriter(CorsPolicy cors) {
    this.cors = cors;
  }

  /** @param origin the request's Origin header, or null */
  public void write(Exchange exchange, Reply reply, boolean acceptsGzip, String origin) {
    Message m = exchange.getMessage();
    m.getHeaders().clear(); // request headers must not echo back
    m.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
    m.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
    m.setHeader("Cache-Control", reply.cacheControl());
    m.setHeader("X-Content-Type-Options", "nosniff");
    String allow = cors.allowOrigin(origin);
    if (allow != null) {
      m.setHeader("Access-Control-Allow-Origin", allow);
      m.setHeader("Access-Control-Expose-Headers", "Location, Retry-After"); // a WHEP client reads its session's Location
      if (reply.status() == 204) {
        m.setHeader("Access-Control-Allow-Methods", CorsPolicy.METHODS);
        m.setHeader("Access-Control-Allow-Headers", CorsPolicy.HEADERS);
        m.setHeader("Access-Control-Max-Age", "86400");
      }
    }
    reply.headers().forEach(m::setHeader);
    String vary = cors.variesByOrigin() ? "Origin" : null;
    if (reply.isPlaylist()) {
      m.setHeader("Vary", vary == null ? "Accept-Encoding" : "Origin, Accept-Encoding");
      if (acceptsGzip) {
        m.setHeader("Content-Encoding", "gzip");
        m.setBody(gzip(reply.bytes()));
        return;
      }
    } else if (vary != null) {
      m.setHeader("Vary", vary);
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
