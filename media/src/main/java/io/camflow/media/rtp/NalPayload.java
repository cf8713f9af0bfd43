package io.camflow.media.rtp;

import java.util.List;

/**
 * What one H.264 or H.265 RTP payload holds, read but not yet placed in a frame: the structure RFC
 * 6184 and RFC 7798 share.
 */
sealed interface NalPayload {

  /** A single NAL unit packet, or an aggregation packet (STAP-A, AP) unpacked. */
  record Whole(List<byte[]> nalUnits) implements NalPayload {}

  /**
   * A fragmentation unit (FU-A, FU).
   *
   * @param nalHeader the fragmented NAL unit's header, rebuilt from the payload and FU headers
   * @param packet the payload, holding the fragment from {@code offset} to its end
   */
  record Fragment(boolean start, boolean end, byte[] nalHeader, byte[] packet, int offset)
      implements NalPayload {

    int length() {
      return packet.length - offset;
    }
  }
}
