package io.camflow.media.sdp;

/**
 * {@code a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]} (RFC 8866 6.6).
 *
 * @param channels audio channels, 1 when the line gives none; 0 for video
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

  /** Case-insensitive: SDP writes {@code H264}, {@code opus}, {@code PCMU} as it likes. */
  public boolean is(String encoding, int rate) {
    return encodingName.equalsIgnoreCase(encoding) && clockRate == rate;
  }

  /** The line value, e.g. {@code 96 H264/90000}. */
  String format(boolean audio) {
    return payloadType
        + " "
        + encodingName
        + "/"
        + clockRate
        + (audio && channels > 1 ? "/" + channels : "");
  }
}
