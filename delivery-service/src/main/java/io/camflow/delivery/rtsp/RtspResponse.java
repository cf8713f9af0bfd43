package io.camflow.delivery.rtsp;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One RTSP response (RFC 2326 7): status, CSeq, headers in order, an optional body. Error responses
 * carry their reason as a text body, safe to send (no credentials, nothing about other cameras).
 */
final class RtspResponse {

  private final int status;
  private final long cseq;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private byte[] body = new byte[0];
  private String contentType;

  RtspResponse(int status, long cseq) {
    this.status = status;
    this.cseq = cseq;
  }

  static RtspResponse ok(long cseq) {
    return new RtspResponse(200, cseq);
  }

  /** An error with its reason as the body. */
  static RtspResponse error(int status, long cseq, String reason) {
    return new RtspResponse(status, cseq).body("text/plain; charset=utf-8", reason + "\n");
  }

  int status() {
    return status;
  }

  RtspResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  RtspResponse body(String type, String text) {
    this.contentType = type;
    this.body = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  byte[] encode() {
    StringBuilder s = new StringBuilder();
    s.append("RTSP/1.0 ").append(status).append(' ').append(reasonPhrase(status)).append("\r\n");
    if (cseq >= 0) {
      s.append("CSeq: ").append(cseq).append("\r\n");
    }
    s.append("Server: camflow\r\n");
    headers.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
    if (contentType != null) {
      s.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body.length > 0) {
      s.append("Content-Length: ").append(body.length).append("\r\n");
    }
    s.append("\r\n");
    byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  static String reasonPhrase(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Request Entity Too Large";
      case 429 -> "Too Many Requests";
      case 453 -> "Not Enough Bandwidth";
      case 454 -> "Session Not Found";
      case 455 -> "Method Not Valid in This State";
      case 459 -> "Aggregate Operation Not Allowed";
      case 461 -> "Unsupported Transport";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "RTSP Version Not Supported";
      default -> "Status " + status;
    };
  }
}
