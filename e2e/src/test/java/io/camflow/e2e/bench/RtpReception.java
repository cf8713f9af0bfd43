package io.camflow.e2e.bench;

import io.camflow.media.rtcp.ReportBlock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * What one receiver made of one H.264 RTP stream (RFC 3550 A.1 with RFC 6184 payloads): packets and
 * bytes, sequence gaps (missing packets, later recovered by a retransmission or finally lost),
 * frames (marker bits) and keyframes (frames with an IDR slice), and the reception report block for
 * it. A gap opens a NACK for the missing numbers once ({@link #drainNacks}); a packet still missing
 * {@value #GIVE_UP} packets later counts as lost. Thread-safe: the receiving thread feeds it, the
 * RTCP timer reads it.
 */
final class RtpReception {

  /**
   * How far behind the newest packet a missing one may still come back (a retransmission's window).
   */
  static final int GIVE_UP = 1024;

  /** A jump this large is a new stream, not a gap: no NACK storm for it. */
  private static final int RESTART = 3000;

  private static final int NAL_IDR = 5;
  private static final int NAL_STAP_A = 24;
  private static final int NAL_FU_A = 28;

  private final int payloadType;
  private long ssrc = -1;
  private long base = -1;
  private long highest = -1;
  private long packets;
  private long bytes;
  private long duplicates;
  private long recovered;
  private long lostForGood;
  private long nacked;
  private long frames;
  private long keyframes;
  private long idrTimestamp = -1;
  private boolean startedAtKeyframe;
  private final TreeSet<Long> missing = new TreeSet<>();
  private final List<Integer> toNack = new ArrayList<>();
  private long expectedPrior;
  private long receivedPrior;
  private boolean newLoss;

  /** Counters at one moment. {@code lost} includes packets still missing that may yet come. */
  record Counts(
      long packets,
      long bytes,
      long lost,
      long nacked,
      long recovered,
      long frames,
      long keyframes,
      long duplicates) {}

  RtpReception(int payloadType) {
    this.payloadType = payloadType;
  }

  /**
   * One RTP packet (decrypted, or only authenticated: the header is plain in SRTP).
   *
   * @param inspectPayload whether the payload is plain H.264 (decrypted) and may be read for IDR
   *     slices
   * @return false when it is not of the video payload type (ignored)
   */
  synchronized boolean received(byte[] b, int off, int len, boolean inspectPayload) {
    if (len < 12 || (b[off + 1] & 0x7F) != payloadType) {
      return false;
    }
    int seq = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    long timestamp = u32(b, off + 4);
    ssrc = u32(b, off + 8);
    boolean marker = (b[off + 1] & 0x80) != 0;
    long ext;
    if (highest < 0) {
      ext = seq;
      base = seq;
      highest = seq;
    } else {
      ext = extend(seq);
      if (ext > highest) {
        long gap = ext - highest - 1;
        if (gap > RESTART) {
          lostForGood += gap;
        } else {
          for (long s = highest + 1; s < ext; s++) {
            missing.add(s);
            toNack.add((int) (s & 0xFFFF));
          }
        }
        highest = ext;
        giveUpOld();
      } else if (missing.remove(ext)) {
        recovered++;
      } else {
        duplicates++;
        return true;
      }
    }
    packets++;
    bytes += len;
    if (inspectPayload && carriesIdr(b, off, len)) {
      idrTimestamp = timestamp;
    }
    if (marker) {
      frames++;
      if (timestamp == idrTimestamp) {
        keyframes++;
        startedAtKeyframe |= frames == 1;
      }
    }
    return true;
  }

  /** The sequence numbers to NACK now (each once), and counts them as NACKed. */
  synchronized List<Integer> drainNacks() {
    if (toNack.isEmpty()) {
      return List.of();
    }
    List<Integer> out = List.copyOf(toNack);
    toNack.clear();
    nacked += out.size();
    return out;
  }

  /**
   * Whether a packet was given up as lost since the last call (a browser would ask for a keyframe).
   */
  synchronized boolean takeNewLoss() {
    boolean b = newLoss;
    newLoss = false;
    return b;
  }

  /** Whether the first complete frame was a keyframe (the GOP cache's instant start). */
  synchronized boolean startedAtKeyframe() {
    return startedAtKeyframe;
  }

  /** The SSRC seen, or -1 before the first packet. */
  synchronized long ssrc() {
    return ssrc;
  }

  synchronized Counts counts() {
    return new Counts(
        packets,
        bytes,
        lostForGood + missing.size(),
        nacked,
        recovered,
        frames,
        keyframes,
        duplicates);
  }

  /**
   * The report block for the next RR (RFC 3550 6.4.1, A.3), or null before the first packet.
   *
   * @param lastSr middle 32 bits of the last SR's NTP time, 0 if none
   * @param sinceLastSr delay since it, 1/65536 s
   */
  synchronized ReportBlock reportBlock(long lastSr, long sinceLastSr) {
    if (highest < 0) {
      return null;
    }
    long expected = highest - base + 1;
    long lost = expected - packets;
    long expectedInterval = expected - expectedPrior;
    long receivedInterval = packets - receivedPrior;
    expectedPrior = expected;
    receivedPrior = packets;
    long lostInterval = expectedInterval - receivedInterval;
    int fraction =
        expectedInterval == 0 || lostInterval <= 0
            ? 0
            : (int) ((lostInterval << 8) / expectedInterval);
    int cumulative = (int) Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    return new ReportBlock(
        (int) ssrc, fraction, cumulative, highest & 0xFFFFFFFFL, 0, lastSr, sinceLastSr);
  }

  private void giveUpOld() {
    Iterator<Long> it = missing.iterator();
    while (it.hasNext()) {
      long s = it.next();
      if (s >= highest - GIVE_UP) {
        break;
      }
      it.remove();
      lostForGood++;
      newLoss = true;
    }
  }

  /** The 16-bit number extended to the cycle nearest the highest so far. */
  private long extend(int seq) {
    long candidate = (highest & ~0xFFFFL) | seq;
    if (candidate < highest - 0x8000) {
      candidate += 0x10000;
    } else if (candidate > highest + 0x8000) {
      candidate -= 0x10000;
    }
    return candidate;
  }

  /** Whether the RTP payload is or starts an IDR slice (single NAL unit, STAP-A or FU-A start). */
  static boolean carriesIdr(byte[] b, int off, int len) {
    int at = off + 12 + 4 * (b[off] & 0x0F);
    if ((b[off] & 0x10) != 0) { // header extension
      if (at + 4 > off + len) {
        return false;
      }
      at += 4 + 4 * (((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF));
    }
    int end = off + len;
    if ((b[off] & 0x20) != 0) { // padding
      end -= b[end - 1] & 0xFF;
    }
    if (at >= end) {
      return false;
    }
    int type = b[at] & 0x1F;
    if (type == NAL_IDR) {
      return true;
    }
    if (type == NAL_FU_A) {
      return at + 1 < end && (b[at + 1] & 0x80) != 0 && (b[at + 1] & 0x1F) == NAL_IDR;
    }
    if (type == NAL_STAP_A) {
      int p = at + 1;
      while (p + 2 < end) {
        int size = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
        if (size == 0 || p + 2 + size > end) {
          return false;
        }
        if ((b[p + 2] & 0x1F) == NAL_IDR) {
          return true;
        }
        p += 2 + size;
      }
    }
    return false;
  }

  private static long u32(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24)
        | ((b[at + 1] & 0xFFL) << 16)
        | ((b[at + 2] & 0xFFL) << 8)
        | (b[at + 3] & 0xFFL);
  }
}
