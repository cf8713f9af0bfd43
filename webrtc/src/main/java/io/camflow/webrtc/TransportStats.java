package io.camflow.webrtc;

/**
 * Counters of one session. Bytes are what went over the wire (after SRTP).
 *
 * @param rtpPackets RTP packets sent
 * @param rtpBytes their SRTP bytes
 * @param rtcpPacketsSent RTCP packets sent
 * @param rtcpBytesSent their SRTCP bytes
 * @param rtcpPacketsReceived SRTCP packets received that authenticated
 * @param packetsRejected SRTCP that failed authentication, and sends that could not be protected
 */
public record TransportStats(
    long rtpPackets,
    long rtpBytes,
    long rtcpPacketsSent,
    long rtcpBytesSent,
    long rtcpPacketsReceived,
    long packetsRejected) {}
