package io.camflow.media.rtcp;

/**
 * Writes the RTCP a sending-only endpoint needs: a sender report (RFC 3550 6.4.1, no reception
 * blocks: we receive no media) with an SDES CNAME (6.5.1), as one compound packet — what lets a
 * receiver map RTP time to wall clock (A/V sync) and compute the round trip from its reports.
 */
public final class SenderReports {

  /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
  static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

  private SenderReports() {}

  /** The 64-bit NTP timestamp of a wall-clock time in µs since the Unix epoch. */
  public static long ntp(long unixMicros) {
    long seconds = Math.floorDiv(unixMicros, 1_000_000L) + NTP_UNIX_OFFSET_SECONDS;
    long micros = Math.floorMod(unixMicros, 1_000_000L);
    long fraction = (micros << 32) / 1_000_000L;
    return (seconds << 32) | fraction;
  }

  /** The middle 32 bits of an NTP timestamp (what LSR and round-trip arithmetic use). */
  public static long compact(long ntp) {
    return (ntp >>> 16) & 0xFFFFFFFFL;
  }

  /** The size of {@link #write}'s output for a CNAME of this many UTF-8 bytes. */
  public static int size(int cnameBytes) {
    return 28 + sdesSize(cnameBytes);
  }

  private static int sdesSize(int cnameBytes) {
    int chunk = 4 + 2 + cnameBytes + 1; // SSRC, CNAME item, the end item
    return 4 + ((chunk + 3) / 4) * 4;
  }

  /**
   * Writes SR + SDES(CNAME) into {@code out} at {@code offset}; returns the number of bytes.
   *
   * @param cname ASCII, at most 255 bytes
   */
  public static int write(
      byte[] out,
      int offset,
      int ssrc,
      long ntp,
      long rtpTimestamp,
      long packets,
      long octets,
      byte[] cname) {
    if (cname.length > 255) {
      throw new IllegalArgumentException("CNAME longer than 255 bytes");
    }
    int total = size(cname.length);
    if (offset < 0 || out.length - offset < total) {
      throw new IllegalArgumentException("no room for a " + total + "-byte sender report");
    }
    int at = offset;
    out[at++] = (byte) 0x80; // V=2, no padding, no reception blocks
    out[at++] = (byte) RtcpPacket.SR;
    at = u16(out, at, 6); // 7 words - 1
    at = u32(out, at, ssrc);
    at = u32(out, at, (int) (ntp >>> 32));
    at = u32(out, at, (int) ntp);
    at = u32(out, at, (int) rtpTimestamp);
    at = u32(out, at, (int) packets);
    at = u32(out, at, (int) octets);
    int sdes = sdesSize(cname.length);
    out[at++] = (byte) 0x81; // one chunk
    out[at++] = (byte) RtcpPacket.SDES;
    at = u16(out, at, sdes / 4 - 1);
    at = u32(out, at, ssrc);
    out[at++] = 1; // CNAME
    out[at++] = (byte) cname.length;
    System.arraycopy(cname, 0, out, at, cname.length);
    at += cname.length;
    int end = offset + total;
    while (at < end) {
      out[at++] = 0; // the end item, then padding to the word
    }
    return total;
  }

  private static int u16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
    return at + 2;
  }

  private static int u32(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
    return at + 4;
  }
}
