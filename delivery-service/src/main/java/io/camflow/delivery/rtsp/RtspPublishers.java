package io.camflow.delivery.rtsp;

import io.camflow.delivery.publish.Publications;
import io.camflow.delivery.publish.PublishSink;
import io.camflow.delivery.publish.PublishTarget;
import io.camflow.media.StreamKey;
import java.util.function.Function;

/**
 * What the RTSP server needs to take published streams (docs/rtsp.md, "Publishing").
 *
 * @param sink where their access units and states go
 * @param publications who publishes what on this instance
 * @param targets which streams may be published: those configured {@code source: publish}
 */
public record RtspPublishers(
    PublishSink sink, Publications publications, Function<StreamKey, PublishTarget> targets) {}
