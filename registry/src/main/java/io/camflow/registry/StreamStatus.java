package io.camflow.registry;

/**
 * One stream's state as published to the compacted topic {@link RegistryTopic#STATUS} (key = {@code
 * camera/stream}, value = {@link StatusRecordFormat#encode}): by ingest for the streams it pulls,
 * by delivery for the published ones while an encoder publishes. Carries no URL and no credentials.
 *
 * @param stream {@code camera/stream}
 * @param state current state, a {@link StreamState#id()}
 * @param since when the stream entered this state (ms since the epoch)
 * @param session source-session id of the current or last connection, null before the first
 * @param codec video codec id ("h264", "h265"), null until known
 * @param codecString RFC 6381 codec string, null until known
 * @param width video width, 0 until known
 * @param height video height, 0 until known
 * @param fps measured frame rate over the last interval
 * @param bitrateKbps measured bit rate over the last interval
 * @param lastError the last failure ("reason: message"), null if none
 * @param nextRetryAt when the next connection attempt is due (ms since the epoch), 0 if none
 * @param counters cumulative counters since the service started
 * @param instance the instance that owns the stream (ingest's, or delivery's for a published one)
 * @param updatedAt when this record was made (ms since the epoch)
 */
public record StreamStatus(
    String stream,
    String state,
    long since,
    String session,
    String codec,
    String codecString,
    int width,
    int height,
    double fps,
    double bitrateKbps,
    String lastError,
    long nextRetryAt,
    Counters counters,
    String instance,
    long updatedAt) {

  /** Cumulative counters of one stream. */
  public record Counters(
      long connects,
      long failures,
      long authFailures,
      long accessUnits,
      long keyframes,
      long bytes) {}
}
