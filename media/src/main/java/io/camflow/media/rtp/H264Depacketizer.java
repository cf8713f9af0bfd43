package io.camflow.media.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * H.264 out of RTP, RFC 6184 packetization-mode 0 and 1 (non-interleaved): single NAL unit packets,
 * STAP-A and FU-A, the inverse of {@link H264Packetizer}. Mode 2's STAP-B, MTAP and FU-B are
 * refused, as are the undefined types 0, 30 and 31. Frames come out as Annex B; the loss rules are
 * {@link NalReassembler}'s.
 */
public final class H264Depacketizer implements Depacketizer {

  /** Far above any real picture, low enough that a broken sender cannot exhaust the heap. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 8 << 20;

  private static final int STAP_B = 25;
  private static final int MTAP16 = 26;
  private static final int MTAP24 = 27;
  private static final int FU_B = 29;

  private final NalReassembler reassembler;

  public H264Depacketizer() {
    this(DEFAULT_MAX_FRAME_SIZE);
  }

  /**
   * @param maxFrameSize the largest frame in bytes (Annex B); a larger one is dropped and returned
   *     damaged
   */
  public H264Depacketizer(int maxFrameSize) {
    this.reassembler = new NalReassembler(maxFrameSize, H264Depacketizer::read);
  }

  @Override
  public List<ReceivedFrame> push(RtpPacket packet) {
    return reassembler.push(packet);
  }

  @Override
  public List<ReceivedFrame> flush() {
    return reassembler.flush();
  }

  /** One payload, checked against RFC 6184 5.2-5.8. */
  static NalPayload read(byte[] p) {
    if (p.length == 0) {
      throw new MalformedRtpException("empty H.264 RTP payload");
    }
    int type = p[0] & 0x1F;
    return switch (type) {
      case H264Packetizer.STAP_A -> new NalPayload.Whole(stapA(p));
      case H264Packetizer.FU_A -> fuA(p);
      case STAP_B, MTAP16, MTAP24, FU_B ->
          throw new MalformedRtpException(
              "H.264 packet type " + type + " belongs to packetization-mode 2, not supported");
      case 0, 30, 31 -> throw new MalformedRtpException("undefined H.264 packet type " + type);
      default -> new NalPayload.Whole(List.of(p));
    };
  }

  /** RFC 6184 5.7.1: NAL units behind 16-bit sizes; a zero size is taken as trailing padding. */
  private static List<byte[]> stapA(byte[] p) {
    List<byte[]> nalUnits = new ArrayList<>();
    int pos = 1;
    while (pos < p.length) {
      if (p.length - pos < 2) {
        throw new MalformedRtpException("STAP-A: a NAL unit size cut off at byte " + pos);
      }
      int size = ((p[pos] & 0xFF) << 8) | (p[pos + 1] & 0xFF);
      pos += 2;
      if (size == 0) {
        break;
      }
      if (size > p.length - pos) {
        throw new MalformedRtpException(
            "STAP-A: NAL unit of " + size + " bytes with " + (p.length - pos) + " left");
      }
      int type = p[pos] & 0x1F;
      if (type == 0 || type >= H264Packetizer.STAP_A) {
        throw new MalformedRtpException("STAP-A carries a NAL unit of type " + type);
      }
      nalUnits.add(Arrays.copyOfRange(p, pos, pos + size));
      pos += size;
    }
    if (nalUnits.isEmpty()) {
      throw new MalformedRtpException("STAP-A without NAL units");
    }
    return nalUnits;
  }

  /** RFC 6184 5.8: the NAL header is the indicator's F and NRI with the FU header's type. */
  private static NalPayload fuA(byte[] p) {
    if (p.length < 2) {
      throw new MalformedRtpException("FU-A without its FU header");
    }
    boolean start = (p[1] & 0x80) != 0;
    boolean end = (p[1] & 0x40) != 0;
    int type = p[1] & 0x1F;
    if (start && end) {
      throw new MalformedRtpException("FU-A with both start and end bits (RFC 6184 5.8)");
    }
    if (type == 0 || type >= H264Packetizer.STAP_A) {
      throw new MalformedRtpException("FU-A of a NAL unit of type " + type);
    }
    return new NalPayload.Fragment(start, end, new byte[] {(byte) ((p[0] & 0xE0) | type)}, p, 2);
  }
}
