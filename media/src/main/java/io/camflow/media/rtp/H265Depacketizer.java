package io.camflow.media.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * H.265 out of RTP, RFC 7798: single NAL unit packets, aggregation packets (AP) and fragmentation
 * units (FU), the inverse of {@link H265Packetizer}. Only without DONL, i.e. {@code
 * sprop-max-don-diff} 0 (absent) and one RTP stream: the SDP of a stream that sends DONL fields
 * must be refused before this, which would read them as NAL data. PACI packets and the reserved
 * types 51..63 are refused. Frames come out as Annex B; the loss rules are {@link
 * NalReassembler}'s.
 */
public final class H265Depacketizer implements Depacketizer {

  private static final int PACI = 50;
  private static final int PAYLOAD_HEADER_SIZE = 2;

  private final NalReassembler reassembler;

  public H265Depacketizer() {
    this(H264Depacketizer.DEFAULT_MAX_FRAME_SIZE);
  }

  /**
   * @param maxFrameSize the largest frame in bytes (Annex B); a larger one is dropped and returned
   *     damaged
   */
  public H265Depacketizer(int maxFrameSize) {
    this.reassembler = new NalReassembler(maxFrameSize, H265Depacketizer::read);
  }

  @Override
  public List<ReceivedFrame> push(RtpPacket packet) {
    return reassembler.push(packet);
  }

  @Override
  public List<ReceivedFrame> flush() {
    return reassembler.flush();
  }

  /** One payload, checked against RFC 7798 4.4. */
  static NalPayload read(byte[] p) {
    if (p.length < PAYLOAD_HEADER_SIZE) {
      throw new MalformedRtpException(
          "H.265 RTP payload of " + p.length + " bytes, shorter than its 2-byte header");
    }
    int type = (p[0] >>> 1) & 0x3F;
    return switch (type) {
      case H265Packetizer.AP -> new NalPayload.Whole(aggregation(p));
      case H265Packetizer.FU -> fragment(p);
      case PACI -> throw new MalformedRtpException("H.265 PACI packets are not supported");
      default -> {
        if (type > PACI) {
          throw new MalformedRtpException("reserved H.265 packet type " + type);
        }
        yield new NalPayload.Whole(List.of(p));
      }
    };
  }

  /** RFC 7798 4.4.2: NAL units behind 16-bit sizes; a zero size is taken as trailing padding. */
  private static List<byte[]> aggregation(byte[] p) {
    List<byte[]> nalUnits = new ArrayList<>();
    int pos = PAYLOAD_HEADER_SIZE;
    while (pos < p.length) {
      if (p.length - pos < 2) {
        throw new MalformedRtpException("AP: a NAL unit size cut off at byte " + pos);
      }
      int size = ((p[pos] & 0xFF) << 8) | (p[pos + 1] & 0xFF);
      pos += 2;
      if (size == 0) {
        break;
      }
      if (size < PAYLOAD_HEADER_SIZE || size > p.length - pos) {
        throw new MalformedRtpException(
            "AP: NAL unit of " + size + " bytes with " + (p.length - pos) + " left");
      }
      int type = (p[pos] >>> 1) & 0x3F;
      if (type >= H265Packetizer.AP) {
        throw new MalformedRtpException("AP carries a NAL unit of type " + type);
      }
      nalUnits.add(Arrays.copyOfRange(p, pos, pos + size));
      pos += size;
    }
    if (nalUnits.isEmpty()) {
      throw new MalformedRtpException("AP without NAL units");
    }
    return nalUnits;
  }

  /**
   * RFC 7798 4.4.3: the NAL header is the payload header's F, LayerId and TID with the FU header's
   * type.
   */
  private static NalPayload fragment(byte[] p) {
    if (p.length < PAYLOAD_HEADER_SIZE + 1) {
      throw new MalformedRtpException("FU without its FU header");
    }
    boolean start = (p[2] & 0x80) != 0;
    boolean end = (p[2] & 0x40) != 0;
    int type = p[2] & 0x3F;
    if (start && end) {
      throw new MalformedRtpException("FU with both start and end bits (RFC 7798 4.4.3)");
    }
    if (type >= H265Packetizer.AP) {
      throw new MalformedRtpException("FU of a NAL unit of type " + type);
    }
    byte[] nalHeader = {(byte) ((p[0] & 0x81) | (type << 1)), p[1]};
    return new NalPayload.Fragment(start, end, nalHeader, p, PAYLOAD_HEADER_SIZE + 1);
  }
}
