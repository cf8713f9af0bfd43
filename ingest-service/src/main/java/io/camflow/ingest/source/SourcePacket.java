package io.camflow.ingest.source;

/**
 * One demuxed packet: a complete access unit for video (FFmpeg's parser assembles them), one frame
 * for audio.
 *
 * @param track index of the {@link Track} it belongs to
 * @param data payload, owned by the receiver (copied out of native memory)
 * @param pts presentation timestamp in the track's timebase
 * @param dts decode timestamp in the track's timebase, {@link Long#MIN_VALUE} when unknown
 * @param captureMicros capture wall clock in µs since the epoch
 */
public record SourcePacket(int track, byte[] data, long pts, long dts, long captureMicros) {}
