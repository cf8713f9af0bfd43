package io.camflow.delivery.dvr;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The instants DVR calls take in their query: ISO-8601 with a zone, each given at most once. */
public final class TimeQuery {

  private TimeQuery() {}

  /**
   * Parameter {@code name}: {@code 2026-12-07T03:00:00Z} or {@code 2026-12-07T04:00:00+01:00};
   * empty when absent.
   *
   * @throws IllegalArgumentException naming the parameter and the expected form
   */
  public static Optional<Instant> instant(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v.size() != 1) {
      throw new IllegalArgumentException(name + ": give it once");
    }
    try {
      return Optional.of(OffsetDateTime.parse(v.get(0)).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + ": expected an ISO-8601 instant with its zone, e.g. 2026-12-07T03:00:00Z");
    }
  }
}
