package io.camflow.ingest.source;

/** RTSP lower transport: RTP interleaved on the RTSP TCP connection, RTP over UDP, or let FFmpeg try UDP then TCP. */
public enum Transport {
  TCP, UDP, AUTO
}
