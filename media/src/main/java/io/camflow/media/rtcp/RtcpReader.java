package io.camflow.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a compound RTCP packet (already decrypted) into its parts. Reduced-size RTCP (RFC 5506:
 * feedback without a leading report) is accepted; so are padding and unknown types. A packet whose
 * lengths do not add up is refused as a whole: a receiver's feedback is advisory, never worth
 * guessing at.
 */
public final class RtcpReader {

  private static final int HEADER = 4;

  private RtcpReader() {}

  public static List<RtcpPacket> read(byte[] buf) throws RtcpFormatException {
    return read(buf, 0, buf.length);
  }

  public static List<RtcpPacket> read(byte[] buf, int offset, int length)
      throws RtcpFormatException {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new IllegalArgumentException("range outside the buffer");
    }
    List<RtcpPacket> out = new ArrayList<>(2);
    int end = offset + length;
    int at = offset;
    if (length < HEADER) {
      throw new RtcpFormatException(
          "compound packet of " + length + " bytes is shorter than one header");
    }
    while (at < end) {
      if (end - at < HEADER) {
        throw new RtcpFormatException(
            "trailing " + (end - at) + " bytes at " + (at - offset) + " are no packet");
      }
      int b0 = buf[at] & 0xFF;
      if (b0 >> 6 != 2) {
        throw new RtcpFormatException(
            "packet at " + (at - offset) + " has version " + (b0 >> 6) + ", not 2");
      }
      boolean padding = (b0 & 0x20) != 0;
      int count = b0 & 0x1F;
      int type = buf[at + 1] & 0xFF;
      int size = (u16(buf, at + 2) + 1) * 4;
      if (size > end - at) {
        throw new RtcpFormatException(
            "packet at " + (at - offset) + " says " + size + " bytes, " + (end - at) + " are left");
      }
      int bodyEnd = at + size;
      if (padding) {
        int pad = buf[bodyEnd - 1] & 0xFF;
        if (pad == 0 || pad > size - HEADER) {
          throw new RtcpFormatException(
              "packet at " + (at - offset) + " has a padding count of " + pad);
        }
        bodyEnd -= pad;
      }
      out.add(packet(buf, at + HEADER, bodyEnd, type, count, at - offset));
      at += size;
    }
    return out;
  }

  private static RtcpPacket packet(byte[] b, int from, int to, int type, int count, int where)
      throws RtcpFormatException {
    int body = to - from;
    switch (type) {
      case RtcpPacket.SR -> {
        need(body, 24 + 24 * count, "sender report", where);
        long ntp = (u32(b, from + 4) << 32) | u32(b, from + 8);
        return new RtcpPacket.SenderReport(
            i32(b, from),
            ntp,
            u32(b, from + 12),
            u32(b, from + 16),
            u32(b, from + 20),
            blocks(b, from + 24, count));
      }
      case RtcpPacket.RR -> {
        need(body, 4 + 24 * count, "receiver report", where);
        return new RtcpPacket.ReceiverReport(i32(b, from), blocks(b, from + 4, count));
      }
      case RtcpPacket.BYE -> {
        need(body, 4 * count, "BYE", where);
        List<Integer> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          ssrcs.add(i32(b, from + 4 * i));
        }
        return new RtcpPacket.Bye(ssrcs);
      }
      case RtcpPacket.RTPFB, RtcpPacket.PSFB -> {
        need(body, 8, "feedback message", where);
        return feedback(b, from, to, type, count, where);
      }
      default -> {
        return new RtcpPacket.Other(type, count);
      }
    }
  }

  private static RtcpPacket feedback(byte[] b, int from, int to, int type, int format, int where)
      throws RtcpFormatException {
    int sender = i32(b, from);
    int media = i32(b, from + 4);
    int fci = from + 8;
    int fciLength = to - fci;
    if (type == RtcpPacket.RTPFB && format == 1) { // generic NACK: PID + BLP per 4 bytes
      if (fciLength == 0 || fciLength % 4 != 0) {
        throw new RtcpFormatException(
            "NACK at " + where + " has " + fciLength + " bytes of FCI, not a multiple of 4");
      }
      List<Integer> lost = new ArrayList<>();
      for (int at = fci; at < to; at += 4) {
        int pid = u16(b, at);
        int blp = u16(b, at + 2);
        lost.add(pid);
        for (int bit = 0; bit < 16; bit++) {
          if ((blp & (1 << bit)) != 0) {
            lost.add((pid + bit + 1) & 0xFFFF);
          }
        }
      }
      return new RtcpPacket.Nack(sender, media, lost);
    }
    if (type == RtcpPacket.PSFB && format == 1) {
      return new RtcpPacket.Pli(sender, media);
    }
    if (type == RtcpPacket.PSFB && format == 4) { // FIR: SSRC + seq nr + 24 reserved bits per entry
      if (fciLength == 0 || fciLength % 8 != 0) {
        throw new RtcpFormatException(
            "FIR at " + where + " has " + fciLength + " bytes of FCI, not a multiple of 8");
      }
      List<RtcpPacket.FirEntry> entries = new ArrayList<>();
      for (int at = fci; at < to; at += 8) {
        entries.add(new RtcpPacket.FirEntry(i32(b, at), b[at + 4] & 0xFF));
      }
      return new RtcpPacket.Fir(sender, entries);
    }
    return new RtcpPacket.Other(type, format);
  }

  private static List<ReportBlock> blocks(byte[] b, int at, int count) {
    List<ReportBlock> blocks = new ArrayList<>(count);
    for (int i = 0; i < count; i++, at += 24) {
      int lost = (int) (u32(b, at + 4) & 0xFFFFFF);
      if ((lost & 0x800000) != 0) {
        lost |= 0xFF000000; // signed 24 bits
      }
      blocks.add(
          new ReportBlock(
              i32(b, at),
              b[at + 4] & 0xFF,
              lost,
              u32(b, at + 8),
              u32(b, at + 12),
              u32(b, at + 16),
              u32(b, at + 20)));
    }
    return blocks;
  }

  private static void need(int body, int needed, String what, int where)
      throws RtcpFormatException {
    if (body < needed) {
      throw new RtcpFormatException(
          what + " at " + where + " needs " + needed + " bytes after its header, has " + body);
    }
  }

  static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  static int i32(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  static long u32(byte[] b, int at) {
    return i32(b, at) & 0xFFFFFFFFL;
  }
}
