package io.camflow.delivery.publish;

import io.camflow.registry.StatusRecordFormat;
import io.camflow.registry.StreamState;
import io.camflow.registry.StreamStatus;

/**
 * A published stream's state as the {@code camflow.status} record ingest writes for a pulled one
 * (docs/record-format.md): {@code streaming} while a publisher sends, {@code offline} after, with
 * this delivery instance as the owner.
 */
final class StatusRecords {

  private final String instance;

  StatusRecords(String instance) {
    this.instance = instance;
  }

  byte[] of(PublicationState s) {
    return StatusRecordFormat.encode(status(s, instance));
  }

  static StreamStatus status(PublicationState s, String instance) {
    return new StreamStatus(
        s.key().toString(),
        (s.streaming() ? StreamState.STREAMING : StreamState.OFFLINE).id(),
        s.since(),
        s.session(),
        s.format() == null ? null : s.format().codec().id(),
        s.format() == null ? null : s.format().codecString(),
        s.format() == null ? 0 : s.format().width(),
        s.format() == null ? 0 : s.format().height(),
        s.fps(),
        s.bitrateKbps(),
        s.lastError(),
        0,
        new StreamStatus.Counters(
            1, s.lastError() == null ? 0 : 1, 0, s.accessUnits(), s.keyframes(), s.bytes()),
        instance,
        System.currentTimeMillis());
  }
}
