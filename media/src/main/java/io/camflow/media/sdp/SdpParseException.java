package io.camflow.media.sdp;

/**
 * Malformed SDP. The message names the line (1-based) and what is wrong with it; the value of an
 * {@code a=ice-pwd} line is never repeated, because it is the peer's ICE password.
 */
public final class SdpParseException extends IllegalArgumentException {

  private final int lineNumber;

  SdpParseException(int lineNumber, String line, String problem) {
    super("SDP line " + lineNumber + " (" + quote(line) + "): " + problem);
    this.lineNumber = lineNumber;
  }

  SdpParseException(String problem) {
    super("SDP: " + problem);
    this.lineNumber = 0;
  }

  /** The offending line, 1-based; 0 when the problem is the description as a whole. */
  public int lineNumber() {
    return lineNumber;
  }

  private static String quote(String line) {
    if (line.startsWith("a=ice-pwd:")) {
      return "a=ice-pwd:…";
    }
    return line.length() > 80 ? line.substring(0, 80) + "…" : line;
  }
}
