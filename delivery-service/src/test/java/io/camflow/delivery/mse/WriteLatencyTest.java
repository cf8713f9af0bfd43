package io.camflow.delivery.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.media.WallClock;
import io.camflow.media.record.MediaRecordFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which fragments count towards the added latency, and that a completed write is timed from
 * ingest's receipt.
 */
class WriteLatencyTest {

  final List<Long> samples = new ArrayList<>();
  final AddedLatency latency = new AddedLatency();
  final EmbeddedChannel channel = new EmbeddedChannel();
  final WriteLatency viewer = new WriteLatency(latency);

  WriteLatencyTest() {
    latency.onSample(samples::add);
  }

  void write(long receivedMicros) {
    viewer.written(Fragment.of(new byte[] {1, 2, 3}, false, 0, 1, receivedMicros));
    channel.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), channel.voidPromise());
  }

  @Test
  void aLiveFragmentIsTimedWhenItsWriteCompletes() throws Exception {
    viewer.playing();
    Thread.sleep(30); // the access unit below came to ingest after the viewer said play
    long received =
        WallClock.micros() - 20_000; // ingest had it 20 ms ago (its clock, as delivery's)
    write(received);
    assertTrue(samples.isEmpty(), "not timed before the flush");
    long before = WallClock.micros();
    channel.flush();
    viewer.flushed(channel);
    long after = WallClock.micros();
    assertEquals(1, samples.size());
    long sample = samples.get(0);
    assertTrue(sample >= before - received && sample <= after - received, sample + " µs");

    viewer.flushed(channel); // nothing new written: no second sample
    assertEquals(1, samples.size());
  }

  @Test
  void theBurstAViewerStartsWithIsNotTheLivePath() {
    write(WallClock.micros() - 1_500_000); // from the GOP cache, received before the viewer played
    viewer.playing();
    write(WallClock.micros() - 3_000_000);
    write(
        MediaRecordFormat.RECEIVED_UNKNOWN); // a chunk from a packager that did not carry the time
    channel.flush();
    viewer.flushed(channel);
    assertTrue(samples.isEmpty(), samples.toString());

    write(WallClock.micros());
    write(WallClock.micros());
    channel.flush();
    viewer.flushed(channel);
    assertEquals(2, samples.size());
  }

  @Test
  void theMeterIsTheDocumentedOne() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    latency.meterWith(meters, "mse");
    viewer.playing();
    write(
        WallClock.micros()
            + 1); // a clock a little ahead of ours: a sample still, never negative time
    write(WallClock.micros() + 1);
    channel.flush();
    viewer.flushed(channel);
    assertEquals(
        2, meters.get("camflow_delivery_added_latency").tag("protocol", "mse").timer().count());
  }
}
