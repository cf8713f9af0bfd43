package io.camflow.ingest.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.registry.StreamState;
import io.camflow.registry.StreamStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamMonitorTest {

  private final List<StreamStatus> published = new ArrayList<>();
  private Instant now = Instant.parse("2026-11-21T12:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId z) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final StreamMonitor monitor =
      new StreamMonitor("demo/main", "ingest-1", published::add, Duration.ofSeconds(5), clock);

  @Test
  void everyStateChangeIsPublishedOnce() {
    monitor.state(StreamState.IDLE);
    monitor.state(StreamState.IDLE);
    monitor.connecting("s1");
    monitor.streaming();
    assertEquals(
        List.of("idle", "connecting", "streaming"),
        published.stream().map(StreamStatus::state).toList());
    assertEquals("s1", published.get(2).session());
    assertEquals(1, published.get(2).counters().connects());
  }

  @Test
  void failuresCarryReasonRetryTimeAndDistinguishAuth() {
    monitor.connecting("s1");
    monitor.failed("timeout", "no packet within the read timeout", false, 1234);
    monitor.failed("timeout", "no packet within the read timeout", false, 5678);
    monitor.failed("auth-failed", "401", true, 9999);
    assertEquals(
        List.of("connecting", "offline", "offline", "auth-failed"),
        published.stream().map(StreamStatus::state).toList());
    StreamStatus last = published.get(3);
    assertEquals("auth-failed: 401", last.lastError());
    assertEquals(9999, last.nextRetryAt());
    assertEquals(3, last.counters().failures());
    assertEquals(1, last.counters().authFailures());
  }

  @Test
  void statisticsArePublishedPerIntervalWithRates() {
    monitor.connecting("s1");
    monitor.streaming();
    monitor.format(new VideoFormat(Codec.H264, 1280, 720, 25, "avc1.42c01f"));
    published.clear();
    for (int i = 0; i < 125; i++) {
      now = now.plusMillis(40);
      monitor.accessUnit(10_000, i % 25 == 0, true);
    }
    assertEquals(1, published.size());
    StreamStatus s = published.get(0);
    assertEquals(25.0, s.fps());
    assertEquals(2000.0, s.bitrateKbps());
    assertEquals(1280, s.width());
    assertEquals("h264", s.codec());
    assertEquals(125, s.counters().accessUnits());
    assertEquals(5, s.counters().keyframes());
    assertNull(s.lastError());
  }
}
