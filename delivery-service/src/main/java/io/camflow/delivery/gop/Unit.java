package io.camflow.delivery.gop;

import io.camflow.media.AccessUnit;

/**
 * One access unit as read from a stream's media topic.
 *
 * @param au the access unit (video: Annex-B, parameter sets in {@code codecConfig} on keyframes)
 * @param session the source session it belongs to (new on every camera reconnect)
 * @param offset its Kafka offset
 * @param timestampMillis the record's timestamp (capture wall clock)
 * @param receivedMicros when ingest had it complete, or {@code MediaRecordFormat.RECEIVED_UNKNOWN}
 */
public record Unit(
    AccessUnit au, String session, long offset, long timestampMillis, long receivedMicros) {

  public boolean videoKeyframe() {
    return au.codec().isVideo() && au.keyframe();
  }
}
