package io.camflow.delivery.rtsp;

import java.util.Locale;
import java.util.Optional;

/**
 * What a SETUP's Transport header asks for (RFC 2326 12.39), as far as this server answers it: the
 * first RTP-over-TCP (interleaved) alternative of the list, with its channels.
 *
 * @param rtpChannel the interleaved channel of RTP, -1: the server picks
 * @param record whether the client wants to publish ({@code mode=record})
 */
record TransportSpec(int rtpChannel, boolean record) {

  /** The TCP alternative of the header, or empty if it offers none (UDP only, junk). */
  static Optional<TransportSpec> tcp(String header) {
    if (header == null || header.length() > 1024) {
      return Optional.empty();
    }
    for (String spec : header.split(",")) {
      String[] parts = spec.trim().split(";");
      if (!parts[0].trim().equalsIgnoreCase("RTP/AVP/TCP")) {
        continue;
      }
      int channel = -1;
      boolean record = false;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim().toLowerCase(Locale.ROOT);
        if (p.startsWith("interleaved=")) {
          channel = firstChannel(p.substring("interleaved=".length()));
          if (channel < 0) {
            return Optional.empty();
          }
        } else if (p.equals("mode=record") || p.equals("mode=\"record\"")) {
          record = true;
        }
      }
      return Optional.of(new TransportSpec(channel, record));
    }
    return Optional.empty();
  }

  /** The RTP channel of {@code n} or {@code n-m} (m = n + 1), 0 to 254; -1 if not. */
  private static int firstChannel(String range) {
    String[] ends = range.split("-", -1);
    try {
      int first = Integer.parseInt(ends[0]);
      if (ends.length > 2 || first < 0 || first > 254) {
        return -1;
      }
      if (ends.length == 2 && Integer.parseInt(ends[1]) != first + 1) {
        return -1;
      }
      return first;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
