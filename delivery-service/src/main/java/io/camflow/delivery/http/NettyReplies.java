package io.camflow.delivery.http;

import io.camflow.delivery.door.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Turns a {@link Reply} into Netty HTTP responses: status, the headers delivery sends
 * (Content-Type, Cache-Control, CORS, Vary for playlists) and the body as a Netty buffer wrapping
 * the window's shared chunk arrays (a composite, no copy). Playlists are gzipped for clients that
 * accept it, the gzip of the current playlist made once and shared; media is not (it does not
 * compress). The one writer of delivery's answers, whichever door gave them. Thread-safe; one per
 * service.
 */
public final class NettyReplies {

  private static final AsciiString VARY_VALUE = AsciiString.cached("Accept-Encoding");
  private static final AsciiString METHODS = AsciiString.cached(CorsPolicy.METHODS);
  private static final AsciiString NOSNIFF_NAME = AsciiString.cached("X-Content-Type-Options");
  private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
  private static final AsciiString ALLOWED_HEADERS = AsciiString.cached(CorsPolicy.HEADERS);

  /**
   * A WHEP client reads its session's Location; any client may read Retry-After, a clip's range and
   * name and what the recording changed of the asked range.
   */
  private static final AsciiString EXPOSED_HEADERS =
      AsciiString.cached(
          "Location, Retry-After, Content-Range, Accept-Ranges, Content-Disposition,"
              + " Camflow-Start-Clamped, Camflow-Clip-End, Camflow-Capture-Time");

  private final CorsPolicy cors;
  private volatile Gzipped lastGzip;

  private record Gzipped(byte[] plain, byte[] gzip) {}

  private final java.util.function.LongConsumer bytesOut;

  /**
   * @param bytesOut told the size of every body written (metrics)
   */
  public NettyReplies(CorsPolicy cors, java.util.function.LongConsumer bytesOut) {
    this.cors = cors;
    this.bytesOut = bytesOut;
  }

  public NettyReplies(CorsPolicy cors) {
    this(cors, n -> {});
  }

  /** A chunk of a streamed body as one buffer over the shared arrays (no copy), counted. */
  public ByteBuf content(List<byte[]> chunks) {
    ByteBuf b = wrap(chunks);
    bytesOut.accept(b.readableBytes());
    return b;
  }

  /**
   * The whole response for {@code reply}, with Content-Length.
   *
   * @param origin the request's Origin header, or null
   */
  public FullHttpResponse full(Reply reply, boolean acceptsGzip, String origin) {
    return full(reply, acceptsGzip, origin, true);
  }

  /**
   * @param counted whether its body counts into the bytes out (the hot path's answers do)
   */
  FullHttpResponse full(Reply reply, boolean acceptsGzip, String origin, boolean counted) {
    ByteBuf body;
    boolean gzip = reply.isPlaylist() && acceptsGzip;
    if (gzip) {
      body = Unpooled.wrappedBuffer(gzip(reply.bytes()));
    } else {
      body = wrap(reply.body());
    }
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), body, false);
    HttpHeaders h = r.headers();
    headers(h, reply.status(), reply.contentType(), reply.cacheControl(), origin);
    reply.headers().forEach(h::set);
    if (reply.isPlaylist()) {
      h.add(HttpHeaderNames.VARY, VARY_VALUE);
      if (gzip) {
        h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
      }
    }
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (counted) {
      bytesOut.accept(body.readableBytes());
    }
    return r;
  }

  /**
   * The head of a response with the status and headers of {@code reply} (its body ignored) whose
   * body of {@code length} bytes follows in pieces.
   */
  public HttpResponse head(Reply reply, long length, String origin) {
    HttpResponse r =
        new DefaultHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()), false);
    headers(r.headers(), reply.status(), reply.contentType(), reply.cacheControl(), origin);
    reply.headers().forEach(r.headers()::set);
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    return r;
  }

  /** The head of a 200 response whose body follows in chunks (Transfer-Encoding: chunked). */
  public HttpResponse chunkedHead(String contentType, String cacheControl, String origin) {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, false);
    headers(r.headers(), 200, contentType, cacheControl, origin);
    r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    return r;
  }

  private void headers(
      HttpHeaders h, int status, String contentType, String cacheControl, String origin) {
    h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    h.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    h.set(NOSNIFF_NAME, NOSNIFF);
    if (cors.variesByOrigin()) {
      h.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }
    String allow = cors.allowOrigin(origin);
    if (allow != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allow);
      h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
      if (status == 204) {
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
      }
    }
  }

  /** The chunks as one buffer over the shared arrays (no copy). */
  static ByteBuf wrap(List<byte[]> chunks) {
    return switch (chunks.size()) {
      case 0 -> Unpooled.EMPTY_BUFFER;
      case 1 -> Unpooled.wrappedBuffer(chunks.get(0));
      default -> Unpooled.wrappedBuffer(chunks.toArray(new byte[0][]));
    };
  }

  private byte[] gzip(byte[] plain) {
    Gzipped g = lastGzip;
    if (g != null && g.plain() == plain) {
      return g.gzip();
    }
    byte[] gz = gzipped(plain);
    lastGzip = new Gzipped(plain, gz);
    return gz;
  }

  static byte[] gzipped(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Whether an Accept-Encoding value allows gzip. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      String[] p = coding.trim().split(";");
      if (p[0].trim().equalsIgnoreCase("gzip")) {
        return p.length < 2 || !p[1].trim().replace(" ", "").matches("q=0(\\.0*)?");
      }
    }
    return false;
  }
}
