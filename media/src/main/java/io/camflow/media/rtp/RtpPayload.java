package io.camflow.media.rtp;

import java.util.Objects;

/**
 * One RTP payload, ready to be stamped with any viewer's header: packetizing happens once per
 * stream, and every viewer reuses the same payloads. Treat {@code data} as immutable.
 *
 * @param marker the RTP marker bit (video: last packet of the access unit)
 * @param timestampOffset ticks after the frame's timestamp; non-zero only for audio frames split
 *     across packets
 */
public record RtpPayload(byte[] data, boolean marker, int timestampOffset) {

  public RtpPayload {
    Objects.requireNonNull(data, "data");
    if (data.length == 0) {
      throw new IllegalArgumentException("an RTP payload cannot be empty");
    }
  }

  public RtpPayload(byte[] data, boolean marker) {
    this(data, marker, 0);
  }

  /** Sizes instead of bytes: payloads end up in assertion messages. */
  @Override
  public String toString() {
    return "RtpPayload["
        + data.length
        + " bytes, marker="
        + marker
        + ", timestampOffset="
        + timestampOffset
        + "]";
  }
}
