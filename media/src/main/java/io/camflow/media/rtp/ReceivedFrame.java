package io.camflow.media.rtp;

/**
 * One frame taken back out of RTP payloads.
 *
 * @param timestamp the RTP timestamp extended to 64 bits (wraps unrolled, the first packet's value
 *     as received), in the payload's clock rate
 * @param data video: the picture's NAL units in Annex B with 4-byte start codes, in decoding order
 *     (aggregation packets unpacked, fragments joined); audio: one raw frame (an AAC access unit
 *     without ADTS, or G.711 samples)
 * @param damaged whether a packet of it was lost
 */
public record ReceivedFrame(long timestamp, byte[] data, boolean damaged) {}
