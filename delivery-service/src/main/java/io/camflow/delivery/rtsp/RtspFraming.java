package io.camflow.delivery.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits an RTSP connection's bytes into {@link RtspRequest}s and {@link Interleaved} packets (RFC
 * 2326 10.12: a {@code $}, the channel, a 16-bit length, the packet). Netty's RTSP codec reads
 * requests but not interleaved packets, which share the connection with them once a reader plays
 * over TCP; this is both, with every part bounded: the head at {@value #MAX_HEAD} bytes and {@value
 * #MAX_HEADERS} headers, a body at {@value #MAX_BODY} bytes (a packet's 16-bit length bounds
 * itself). Bytes that are no request become one {@link MalformedRequest}; everything after it is
 * discarded (the connection answers and closes: where the next request would begin is unknown).
 */
public final class RtspFraming extends ByteToMessageDecoder {

  static final int MAX_HEAD = 8 * 1024;
  static final int MAX_HEADERS = 64;
  static final int MAX_BODY = 64 * 1024;

  private boolean failed;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (!failed) {
      while (in.isReadable() && isLineEnd(in.getByte(in.readerIndex()))) {
        in.skipBytes(1); // CRLFs between messages are allowed (RFC 2326 15.1)
      }
      if (!in.isReadable()) {
        return;
      }
      int read = in.readerIndex();
      Object next = next(in);
      if (next == null) {
        in.readerIndex(read);
        return;
      }
      out.add(next);
      failed = next instanceof MalformedRequest;
    }
    in.skipBytes(in.readableBytes());
  }

  private static boolean isLineEnd(byte b) {
    return b == '\r' || b == '\n';
  }

  /**
   * The message at the reader index (not a line end), or null if more bytes are needed (the caller
   * restores the reader index).
   */
  static Object next(ByteBuf in) {
    int at = in.readerIndex();
    byte first = in.getByte(at);
    if (first == '$') {
      if (in.readableBytes() < 4) {
        return null;
      }
      int channel = in.getUnsignedByte(at + 1);
      int length = in.getUnsignedShort(at + 2);
      if (in.readableBytes() < 4 + length) {
        return null;
      }
      in.skipBytes(4);
      return new Interleaved(channel, in.readRetainedSlice(length));
    }
    int limit = Math.min(in.readableBytes(), MAX_HEAD);
    int end = endOfHead(in, at, limit);
    if (end < 0) {
      return in.readableBytes() >= MAX_HEAD
          ? new MalformedRequest(400, "the request head is longer than " + MAX_HEAD + " bytes", -1)
          : null;
    }
    String head = in.toString(at, end - at, StandardCharsets.UTF_8);
    Object parsed = parseHead(head);
    if (parsed instanceof MalformedRequest) {
      return parsed;
    }
    Head h = (Head) parsed;
    int bodyStart = end + 4;
    if (in.writerIndex() - bodyStart < h.contentLength) {
      return null;
    }
    byte[] body = new byte[h.contentLength];
    in.getBytes(bodyStart, body);
    in.readerIndex(bodyStart + h.contentLength);
    return new RtspRequest(h.method, h.uri, h.headers, h.cseq, body);
  }

  private record Head(
      String method, String uri, Map<String, String> headers, long cseq, int contentLength) {}

  private static int endOfHead(ByteBuf in, int from, int limit) {
    for (int i = from; i + 3 < from + limit; i++) {
      if (in.getByte(i) == '\r'
          && in.getByte(i + 1) == '\n'
          && in.getByte(i + 2) == '\r'
          && in.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** A {@link Head} or a {@link MalformedRequest}. */
  static Object parseHead(String head) {
    String[] lines = head.split("\r\n", -1);
    if (lines.length - 1 > MAX_HEADERS) {
      return new MalformedRequest(400, "more than " + MAX_HEADERS + " headers", -1);
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        return new MalformedRequest(400, "header line " + i + " is not 'Name: value'", -1);
      }
      String name = line.substring(0, colon).trim();
      if (!isToken(name)) {
        return new MalformedRequest(400, "header line " + i + " has no valid name", -1);
      }
      headers.put(name.toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    long cseq = cseq(headers.get("cseq"));
    String[] start = lines[0].split(" ", -1);
    if (start.length != 3 || !isToken(start[0]) || start[1].isEmpty()) {
      return new MalformedRequest(400, "the request line is not 'METHOD URI RTSP/1.0'", cseq);
    }
    if (!start[2].equals("RTSP/1.0")) {
      return start[2].startsWith("RTSP/")
          ? new MalformedRequest(505, "only RTSP/1.0 is served", cseq)
          : new MalformedRequest(400, "the request line is not 'METHOD URI RTSP/1.0'", cseq);
    }
    if (cseq < 0) {
      return new MalformedRequest(400, "CSeq is missing or not a number", -1);
    }
    int contentLength = 0;
    String length = headers.get("content-length");
    if (length != null) {
      try {
        contentLength = Integer.parseInt(length);
      } catch (NumberFormatException e) {
        return new MalformedRequest(400, "Content-Length is not a number", cseq);
      }
      if (contentLength < 0) {
        return new MalformedRequest(400, "Content-Length is negative", cseq);
      }
      if (contentLength > MAX_BODY) {
        return new MalformedRequest(413, "the body is longer than " + MAX_BODY + " bytes", cseq);
      }
    }
    return new Head(start[0], start[1], headers, cseq, contentLength);
  }

  /** A CSeq value: 0 to 2^31-1, else -1. */
  private static long cseq(String value) {
    if (value == null || value.isEmpty() || value.length() > 10) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return -1;
      }
    }
    long n = Long.parseLong(value);
    return n > Integer.MAX_VALUE ? -1 : n;
  }

  /** RFC 2616 token characters (methods and header names). */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
