package io.camflow.ingest.config;

import java.time.Duration;

/** The values a duration option accepts, stated once for the loader and the records alike. */
record DurationRange(Duration min, Duration max) {

  /** Null when {@code d} fits, otherwise what is wrong, e.g. "must be between 10ms and 24h". */
  String problem(Duration d) {
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      return "must be between " + DurationValue.format(min) + " and " + DurationValue.format(max);
    }
    return null;
  }

  Duration require(String option, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(option + " is missing");
    }
    String problem = problem(d);
    if (problem != null) {
      throw new IllegalArgumentException(option + " " + problem + ", not " + DurationValue.format(d));
    }
    return d;
  }
}
