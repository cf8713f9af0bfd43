package io.camflow.media.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * How H.264 and H.265 NAL units fill RTP payloads — the part RFC 6184 and RFC 7798 share. A NAL
 * unit that fits goes whole (single NAL unit packet); a larger one is split into fragmentation
 * units of near-equal size (FU-A, FU), the NAL header carried in each unit's own header; several
 * small ones that fit together (the parameter sets) go in one aggregation packet (STAP-A, AP), each
 * behind its 16-bit size. The codecs differ only in those headers, which {@link Headers} writes.
 */
final class NalFragmenter {

  private static final int AGGREGATED_SIZE_LENGTH = 2;

  /** The codec-specific headers of fragmentation units and aggregation packets. */
  interface Headers {

    /** 1 for H.264, 2 for H.265. */
    int nalHeaderSize();

    /**
     * What precedes the FU header in every fragment of {@code nal}: the FU indicator (H.264) or the
     * payload header (H.265), both of type FU-A/FU and carrying the NAL header's other fields.
     */
    byte[] fragmentPrefix(byte[] nal);

    /** The NAL unit type, as the FU header repeats it after its start and end bits. */
    int nalType(byte[] nal);

    /** The aggregation packet's own header, derived from the NAL units it carries. */
    byte[] aggregationHeader(List<byte[]> nals);
  }

  private final int maxPayload;
  private final Headers headers;

  /**
   * @param maxPayload the largest RTP payload to produce, at least 100 bytes
   */
  NalFragmenter(int maxPayload, Headers headers) {
    if (maxPayload < 100) {
      throw new IllegalArgumentException("max payload must be >= 100 bytes, was " + maxPayload);
    }
    this.maxPayload = maxPayload;
    this.headers = headers;
  }

  int maxPayload() {
    return maxPayload;
  }

  /**
   * The payloads of one access unit: the parameter sets (aggregated when they fit) first, then
   * every other NAL unit; the marker bit on the last.
   */
  List<RtpPayload> accessUnit(List<byte[]> parameterSets, List<byte[]> others) {
    List<byte[]> payloads = new ArrayList<>();
    addAggregated(parameterSets, payloads);
    for (byte[] nal : others) {
      add(nal, payloads);
    }
    List<RtpPayload> result = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      result.add(new RtpPayload(payloads.get(i), i == payloads.size() - 1));
    }
    return result;
  }

  /**
   * One aggregation packet when there are two or more and they fit in one payload, else each on its
   * own.
   */
  void addAggregated(List<byte[]> nals, List<byte[]> payloads) {
    int size = headers.nalHeaderSize();
    for (byte[] nal : nals) {
      size += AGGREGATED_SIZE_LENGTH + nal.length;
    }
    if (nals.size() < 2 || size > maxPayload) {
      nals.forEach(nal -> add(nal, payloads));
      return;
    }
    byte[] packet = new byte[size];
    byte[] header = headers.aggregationHeader(nals);
    System.arraycopy(header, 0, packet, 0, header.length);
    int pos = header.length;
    for (byte[] nal : nals) {
      packet[pos++] = (byte) (nal.length >>> 8);
      packet[pos++] = (byte) nal.length;
      System.arraycopy(nal, 0, packet, pos, nal.length);
      pos += nal.length;
    }
    payloads.add(packet);
  }

  /** A single NAL unit packet, or fragmentation units whose sizes differ by one byte at most. */
  void add(byte[] nal, List<byte[]> payloads) {
    if (nal.length <= maxPayload) {
      payloads.add(nal);
      return;
    }
    byte[] prefix = headers.fragmentPrefix(nal);
    int unitHeaderSize = prefix.length + 1; // + the FU header
    int body = nal.length - headers.nalHeaderSize();
    int perFragment = maxPayload - unitHeaderSize;
    int fragments = (body + perFragment - 1) / perFragment;
    int base = body / fragments;
    int larger = body % fragments; // the first ones get one byte more
    int type = headers.nalType(nal);
    int pos = headers.nalHeaderSize();
    for (int i = 0; i < fragments; i++) {
      int length = base + (i < larger ? 1 : 0);
      byte[] fu = new byte[unitHeaderSize + length];
      System.arraycopy(prefix, 0, fu, 0, prefix.length);
      fu[prefix.length] =
          (byte) ((i == 0 ? 0x80 : 0) | (i == fragments - 1 ? 0x40 : 0) | type); // S, E, type
      System.arraycopy(nal, pos, fu, unitHeaderSize, length);
      pos += length;
      payloads.add(fu);
    }
  }
}
