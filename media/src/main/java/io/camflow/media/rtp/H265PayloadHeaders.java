package io.camflow.media.rtp;

import io.camflow.media.h265.H265NalType;
import java.util.List;

/**
 * RFC 7798's payload header of FU and AP packets: a two-byte NAL unit header of type FU or AP; an
 * FU keeps the NAL unit's F, LayerId and TID.
 */
final class H265PayloadHeaders implements NalFragmenter.Headers {

  static final H265PayloadHeaders INSTANCE = new H265PayloadHeaders();

  private H265PayloadHeaders() {}

  @Override
  public int nalHeaderSize() {
    return 2;
  }

  @Override
  public byte[] fragmentPrefix(byte[] nal) {
    return new byte[] {
      (byte) ((nal[0] & 0x81) | (H265Packetizer.FU << 1)), nal[1]
    }; // keeps F and the LayerId high bit
  }

  @Override
  public int nalType(byte[] nal) {
    return H265NalType.type(nal);
  }

  /**
   * RFC 7798 4.4.2: F is the OR of the aggregated F bits; LayerId and TID are their lowest values.
   */
  @Override
  public byte[] aggregationHeader(List<byte[]> nals) {
    int forbidden = 0;
    int layerId = 63;
    int tid = 7;
    for (byte[] nal : nals) {
      forbidden |= nal[0] & 0x80;
      layerId = Math.min(layerId, ((nal[0] & 0x01) << 5) | ((nal[1] & 0xF8) >>> 3));
      tid = Math.min(tid, nal[1] & 0x07);
    }
    return new byte[] {
      (byte) (forbidden | (H265Packetizer.AP << 1) | (layerId >>> 5)),
      (byte) (((layerId & 0x1F) << 3) | tid)
    };
  }
}
