package io.camflow.packager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rejections of one stream: counted in {@code
 * camflow_packager_rejected_access_units_total{stream, reason}} and logged the first time each
 * reason happens to the stream — with the why, the media offset and the access unit — so a refusal
 * is never silent, and a camera that sends garbage all day does not flood the log. Lives as long as
 * the packager process, across take-overs of the stream.
 */
final class RejectionMeter implements Rejections {

  private static final Logger LOG = LoggerFactory.getLogger(RejectionMeter.class);
  static final String METER = "camflow_packager_rejected_access_units";

  private final String stream;
  private final MeterRegistry meters;
  private final Map<Rejection, Counter> counters = new EnumMap<>(Rejection.class);
  private final Map<Rejection, Long> counts = new EnumMap<>(Rejection.class);
  private final EnumSet<Rejection> logged = EnumSet.noneOf(Rejection.class);

  /**
   * @param stream {@code camera/stream}
   * @param meters where the counter goes, or null for none (a packager run without metrics)
   */
  RejectionMeter(String stream, MeterRegistry meters) {
    this.stream = stream;
    this.meters = meters;
  }

  @Override
  public synchronized void reject(Rejection reason, StreamPackager.Input in, String detail) {
    counts.merge(reason, 1L, Long::sum);
    if (meters != null) {
      counters
          .computeIfAbsent(
              reason,
              r ->
                  Counter.builder(METER)
                      .tag("stream", stream)
                      .tag("reason", r.tag())
                      .description(
                          "access units the packager left out of the CMAF output, by reason")
                      .register(meters))
          .increment();
    }
    if (logged.add(reason)) {
      String text = message(reason, in, detail);
      if (reason.loss()) {
        LOG.warn(text);
      } else {
        LOG.info(text);
      }
    }
  }

  /** How many were rejected for {@code reason} since this packager started. */
  synchronized long count(Rejection reason) {
    return counts.getOrDefault(reason, 0L);
  }

  /** The reasons logged so far (each once). */
  synchronized Set<Rejection> logged() {
    return EnumSet.copyOf(logged);
  }

  String message(Rejection reason, StreamPackager.Input in, String detail) {
    return stream
        + ": access unit at media offset "
        + in.offset()
        + (in.au() == null
            ? ""
            : " ("
                + in.au().codec().id()
                + ", dts "
                + in.au().dts()
                + "/"
                + in.au().timebase()
                + ")")
        + " left out, "
        + reason.tag()
        + ": "
        + reason.why()
        + (detail == null ? "" : " [" + detail + "]")
        + ". Counted in "
        + METER
        + "_total{reason=\""
        + reason.tag()
        + "\"}; logged once per stream and reason.";
  }
}
