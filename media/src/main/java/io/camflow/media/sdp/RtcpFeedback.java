package io.camflow.media.sdp;

/**
 * {@code a=rtcp-fb:<pt|*> <type> [<parameter>]} (RFC 4585 4.2), e.g. {@code nack pli}.
 *
 * @param format the payload type or {@code *}
 * @param parameter empty when the type stands alone ({@code nack})
 */
public record RtcpFeedback(String format, String type, String parameter) {

  public boolean appliesTo(int payloadType) {
    return format.equals("*") || format.equals(Integer.toString(payloadType));
  }

  /** Type and parameter, e.g. {@code nack pli}, as the line writes them after the format. */
  public String value() {
    return parameter.isEmpty() ? type : type + " " + parameter;
  }
}
