package io.camflow.media.rtp;

import java.util.List;

/**
 * RFC 6184's FU-A indicator and STAP-A header: one byte, F and NRI of the NAL header(s) and the
 * packet type.
 */
final class H264PayloadHeaders implements NalFragmenter.Headers {

  static final H264PayloadHeaders INSTANCE = new H264PayloadHeaders();

  private H264PayloadHeaders() {}

  @Override
  public int nalHeaderSize() {
    return 1;
  }

  @Override
  public byte[] fragmentPrefix(byte[] nal) {
    return new byte[] {(byte) ((nal[0] & 0xE0) | H264Packetizer.FU_A)};
  }

  @Override
  public int nalType(byte[] nal) {
    return nal[0] & 0x1F;
  }

  /** RFC 6184 5.7.1: F is the OR of the aggregated F bits, NRI their maximum. */
  @Override
  public byte[] aggregationHeader(List<byte[]> nals) {
    int forbidden = 0;
    int nri = 0;
    for (byte[] nal : nals) {
      forbidden |= nal[0] & 0x80;
      nri = Math.max(nri, nal[0] & 0x60);
    }
    return new byte[] {(byte) (forbidden | nri | H264Packetizer.STAP_A)};
  }
}
