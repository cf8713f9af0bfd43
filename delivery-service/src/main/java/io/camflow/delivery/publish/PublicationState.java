package io.camflow.delivery.publish;

import io.camflow.media.StreamKey;
import io.camflow.media.VideoFormat;

/**
 * A published stream's state as {@code camflow.status} shows it: streaming while a publisher sends
 * (from its first keyframe), offline once it has gone.
 *
 * @param key the stream
 * @param streaming whether a publisher is sending
 * @param since when it entered this state (ms since the epoch)
 * @param session the publication's source-session id
 * @param format the video format, null until known
 * @param lastError why the last publication ended, null while streaming or when it ended cleanly
 * @param accessUnits access units written in this publication
 * @param keyframes keyframes among them
 * @param bytes their payload bytes
 * @param fps video frames per second over the last interval ({@link Publication#STATS_MICROS})
 * @param bitrateKbps payload kbit/s over the last interval
 */
public record PublicationState(
    StreamKey key,
    boolean streaming,
    long since,
    String session,
    VideoFormat format,
    String lastError,
    long accessUnits,
    long keyframes,
    long bytes,
    double fps,
    double bitrateKbps) {}
