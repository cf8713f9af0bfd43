package io.camflow.media.rtcp;

/** An RTCP packet that does not follow RFC 3550 / RFC 4585; the message says where and why. */
public final class RtcpFormatException extends Exception {

  public RtcpFormatException(String message) {
    super(message);
  }
}
