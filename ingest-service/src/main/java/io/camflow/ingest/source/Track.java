package io.camflow.ingest.source;

import io.camflow.media.Codec;

/**
 * One elementary stream of a source as the demuxer describes it.
 *
 * @param index track number used in records (the demuxer's stream index)
 * @param codec codec of the track
 * @param timebase ticks per second of the track's pts/dts
 * @param extradata codec configuration from the SDP (parameter sets, AudioSpecificConfig), or null
 * @param sampleRate audio sample rate, 0 for video
 * @param channels audio channels, 0 for video
 */
public record Track(
    int index, Codec codec, int timebase, byte[] extradata, int sampleRate, int channels) {}
