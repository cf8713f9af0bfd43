package io.camflow.delivery.dvr;

import io.camflow.media.record.IndexEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of each hour of a range is recorded, for a timeline that shows days or weeks: one figure
 * per UTC hour instead of every span. Entries are added one at a time, in index order.
 */
public final class HourlySummary {

  /** One hour: its start (UTC) and the recorded time within it. */
  public record Hour(Instant start, Duration recorded) {}

  private final Instant from;
  private final Instant to;
  private final long[] recordedMillis;

  /** The hours that {@code [from, to)} touches. */
  public HourlySummary(Instant from, Instant to) {
    this.from = from.truncatedTo(ChronoUnit.HOURS);
    this.to = to;
    int hours = (int) Math.max(1, Duration.between(this.from, to).toHours() + 1);
    this.recordedMillis = new long[hours];
  }

  /** Counts the part of {@code e} inside the range into the hours it covers. */
  public void add(IndexEntry e) {
    long start = Math.max(e.startMillis(), from.toEpochMilli());
    long end = Math.min(e.endMillis(), to.toEpochMilli());
    while (start < end) {
      int hour = (int) ((start - from.toEpochMilli()) / 3_600_000L);
      if (hour < 0 || hour >= recordedMillis.length) {
        return;
      }
      long hourEnd = from.toEpochMilli() + (hour + 1) * 3_600_000L;
      long until = Math.min(end, hourEnd);
      recordedMillis[hour] += until - start;
      start = until;
    }
  }

  /** Every hour of the range, oldest first, including those with nothing recorded. */
  public List<Hour> hours() {
    List<Hour> out = new ArrayList<>(recordedMillis.length);
    for (int i = 0; i < recordedMillis.length; i++) {
      Instant start = from.plus(Duration.ofHours(i));
      if (!start.isBefore(to)) {
        break;
      }
      out.add(new Hour(start, Duration.ofMillis(recordedMillis[i])));
    }
    return out;
  }
}
