package io.camflow.delivery.dvr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanTest {

  static final long T0 = Instant.parse("2026-12-07T03:00:00Z").toEpochMilli();

  /** A 2 s segment of {@code session} starting at T0 + {@code atMillis}. */
  static IndexEntry segment(String session, long msn, long atMillis, boolean discontinuity) {
    return IndexEntry.of(
        new CmafRecord.SegmentEnd(session, msn * 50, 0, msn, 2_000_000, 6, discontinuity),
        T0 + atMillis,
        null);
  }

  @Test
  void segmentsThatFollowEachOtherAreOneSpan() {
    List<IndexEntry> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      entries.add(segment("a", i, i * 2_000L + (i % 2) * 7, i == 0)); // clocks drift a few ms
    }
    List<Span> spans = Span.of(entries);
    assertEquals(1, spans.size());
    assertEquals(Instant.ofEpochMilli(T0), spans.get(0).start());
    assertEquals(Instant.ofEpochMilli(T0 + 10_000), spans.get(0).end());
    assertEquals(5, spans.get(0).segments());
    assertEquals(Duration.ofSeconds(10), spans.get(0).duration());
  }

  @Test
  void aGapANewSessionOrADiscontinuityEndsASpan() {
    List<IndexEntry> entries =
        List.of(
            segment("a", 0, 0, true),
            segment("a", 1, 2_000, false),
            segment("a", 2, 14_000, false), // 10 s offline, same session (a stalled camera)
            segment("b", 3, 16_000, true), // a reconnect
            segment("b", 4, 18_000, true)); // a new codec configuration
    List<Span> spans = Span.of(entries);
    assertEquals(4, spans.size(), spans.toString());
    assertEquals(List.of(2, 1, 1, 1), spans.stream().map(Span::segments).toList());
    assertEquals(Instant.ofEpochMilli(T0 + 4_000), spans.get(0).end());
    assertEquals(Instant.ofEpochMilli(T0 + 14_000), spans.get(1).start());
  }

  @Test
  void aStallUnderASecondIsAHiccupNotAGap() {
    List<IndexEntry> entries =
        List.of(
            segment("a", 0, 0, true),
            segment("a", 1, 2_668, false), // the camera held its frames 668 ms
            segment("a", 2, 4_668 + 1_000, false), // and then a full second
            segment("a", 3, 7_668 + 1_001, false)); // and then just over one
    List<Span> spans = Span.of(entries);
    assertEquals(List.of(3, 1), spans.stream().map(Span::segments).toList(), spans.toString());
    assertEquals(Instant.ofEpochMilli(T0 + 7_668), spans.get(0).end());
  }

  @Test
  void noEntriesNoSpans() {
    assertEquals(List.of(), Span.of(List.of()));
  }

  @Test
  void hoursAddUpWhatIsRecordedInEach() {
    Instant from = Instant.ofEpochMilli(T0 - 1_800_000); // 02:30
    Instant to = Instant.ofEpochMilli(T0 + 3_600_000 + 60_000); // 04:01
    HourlySummary h = new HourlySummary(from, to);
    h.add(segment("a", 0, -1_000, false)); // 02:59:59 - 03:00:01: one second in each hour
    h.add(segment("a", 1, 1_000, false));
    h.add(segment("a", 2, -7_200_000, false)); // before the range: nothing
    List<HourlySummary.Hour> hours = h.hours();
    assertEquals(3, hours.size(), hours.toString()); // 02:00, 03:00, 04:00
    assertEquals(Instant.parse("2026-12-07T02:00:00Z"), hours.get(0).start());
    assertEquals(Duration.ofSeconds(1), hours.get(0).recorded());
    assertEquals(Duration.ofSeconds(3), hours.get(1).recorded());
    assertEquals(Duration.ZERO, hours.get(2).recorded());
  }
}
