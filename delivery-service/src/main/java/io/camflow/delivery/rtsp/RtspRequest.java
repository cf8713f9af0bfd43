package io.camflow.delivery.rtsp;

import java.util.Locale;
import java.util.Map;

/**
 * One RTSP request as {@link RtspFraming} read it (RFC 2326 6).
 *
 * @param method as sent (methods are case-sensitive)
 * @param uri the Request-URI, as sent
 * @param headers by lower-case name; a repeated header keeps its last value
 * @param cseq the CSeq header's value
 * @param body the entity body, empty when none
 */
public record RtspRequest(
    String method, String uri, Map<String, String> headers, long cseq, byte[] body) {

  public RtspRequest {
    headers = Map.copyOf(headers);
  }

  /** The header's value, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Sizes instead of bytes and no header values: requests carry credentials. */
  @Override
  public String toString() {
    return method + " " + RtspUrl.withoutQuery(uri) + " (CSeq " + cseq + ")";
  }
}
