package io.camflow.e2e.bench;

import io.camflow.media.rtcp.ReportBlock;
import java.util.List;

/**
 * The RTCP a receive-only WebRTC endpoint sends (reduced-size allowed, RFC 5506): a receiver report
 * with one block (RFC 3550 6.4.2), generic NACK (RFC 4585 6.2.1) and PLI (RFC 4585 6.3.1). Each
 * writer returns the bytes written; the caller protects them as SRTCP.
 */
final class ReceiverRtcp {

  private static final int VERSION = 2 << 6;

  private ReceiverRtcp() {}

  /** RR (PT 201) from {@code senderSsrc} with {@code block}; 32 bytes. */
  static int receiverReport(byte[] out, int senderSsrc, ReportBlock block) {
    out[0] = (byte) (VERSION | 1);
    out[1] = (byte) 201;
    u16(out, 2, 7);
    u32(out, 4, senderSsrc);
    u32(out, 8, block.ssrc());
    out[12] = (byte) block.fractionLost();
    out[13] = (byte) (block.cumulativeLost() >> 16);
    out[14] = (byte) (block.cumulativeLost() >> 8);
    out[15] = (byte) block.cumulativeLost();
    u32(out, 16, (int) block.highestSequence());
    u32(out, 20, (int) block.jitter());
    u32(out, 24, (int) block.lastSenderReport());
    u32(out, 28, (int) block.delaySinceLastSr());
    return 32;
  }

  /**
   * Generic NACK (PT 205, FMT 1) for {@code lost}: one PID/BLP pair per run of up to 17 numbers. At
   * most {@code (out.length - 12) / 4} pairs; the rest is left out (the next gap asks again).
   */
  static int nack(byte[] out, int senderSsrc, int mediaSsrc, List<Integer> lost) {
    int at = 12;
    int i = 0;
    while (i < lost.size() && at + 4 <= out.length) {
      int pid = lost.get(i++);
      int blp = 0;
      while (i < lost.size()) {
        int d = (lost.get(i) - pid - 1) & 0xFFFF;
        if (d >= 16) {
          break;
        }
        blp |= 1 << d;
        i++;
      }
      u16(out, at, pid);
      u16(out, at + 2, blp);
      at += 4;
    }
    feedbackHeader(out, 205, 1, senderSsrc, mediaSsrc, at);
    return at;
  }

  /** PLI (PT 206, FMT 1): 12 bytes. */
  static int pli(byte[] out, int senderSsrc, int mediaSsrc) {
    feedbackHeader(out, 206, 1, senderSsrc, mediaSsrc, 12);
    return 12;
  }

  private static void feedbackHeader(
      byte[] out, int type, int format, int senderSsrc, int mediaSsrc, int length) {
    out[0] = (byte) (VERSION | format);
    out[1] = (byte) type;
    u16(out, 2, length / 4 - 1);
    u32(out, 4, senderSsrc);
    u32(out, 8, mediaSsrc);
  }

  private static void u16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static void u32(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
