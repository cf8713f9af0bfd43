package io.camflow.media.rtp;

/** An RTP packet that does not follow RFC 3550's layout; the message says which rule it broke. */
public final class MalformedRtpException extends IllegalArgumentException {

  public MalformedRtpException(String message) {
    super(message);
  }
}
