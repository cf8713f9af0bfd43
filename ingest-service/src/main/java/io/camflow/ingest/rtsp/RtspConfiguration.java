package io.camflow.ingest.rtsp;

import io.camflow.ingest.retry.Backoff;
import io.camflow.options.StreamOptions;
import io.camflow.registry.PullMode;
import io.camflow.registry.StreamSettings;
import io.camflow.registry.Transport;
import java.time.Duration;

/**
 * The options of an {@code rtsp:} endpoint. Set on the component as defaults and copied per
 * endpoint, where URI parameters override them. The defaults are the stream settings' defaults
 * ({@link StreamOptions}); every value the file or the API accepts is valid here (the endpoint also
 * takes shorter durations, for tests). The camera URL and its credentials are not options: they
 * come from the component's {@link SourceCatalog}, so they never appear in an endpoint URI, a route
 * dump or a log line.
 */
public class RtspConfiguration implements Cloneable {

  /** tcp (RTP interleaved on the RTSP connection), udp, or auto (UDP first, then TCP). */
  private Transport transport = StreamSettings.DEFAULTS.transport();

  /** always: pull continuously; on-demand: pull only while viewer demand heartbeats arrive. */
  private PullMode mode = StreamSettings.DEFAULTS.mode();

  /** On-demand: how long after the last demand heartbeat the pull is closed (ms). */
  private long idleGraceMs = StreamSettings.DEFAULTS.idleGrace().toMillis();

  /** No packet for this long (or no answer while connecting) counts as a failure (ms). */
  private long readTimeoutMs = StreamSettings.DEFAULTS.readTimeout().toMillis();

  /** First retry delay after a failure (ms). */
  private long backoffInitialMs = StreamOptions.BACKOFF_INITIAL.defaultValue().toMillis();

  /** Longest retry delay (ms). */
  private long backoffMaxMs = StreamOptions.BACKOFF_MAX.defaultValue().toMillis();

  /** Growth of the retry delay per failed attempt. */
  private double backoffMultiplier = StreamOptions.BACKOFF_MULTIPLIER.defaultValue();

  /** Random spread of each delay, as a fraction (0.2 = ±20 %). */
  private double backoffJitter = StreamOptions.BACKOFF_JITTER.defaultValue();

  /** First retry delay after the camera refused the credentials (ms). */
  private long authBackoffInitialMs = StreamOptions.BACKOFF_AUTH_INITIAL.defaultValue().toMillis();

  /** Longest retry delay after refused credentials (ms). */
  private long authBackoffMaxMs = StreamOptions.BACKOFF_AUTH_MAX.defaultValue().toMillis();

  /** How often statistics are published while streaming (ms). */
  private long statsIntervalMs = 5_000;

  public RtspConfiguration copy() {
    try {
      return (RtspConfiguration) clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  public Backoff backoff() {
    return new Backoff(
        Duration.ofMillis(backoffInitialMs),
        Duration.ofMillis(backoffMaxMs),
        backoffMultiplier,
        backoffJitter);
  }

  public Backoff authBackoff() {
    return new Backoff(
        Duration.ofMillis(authBackoffInitialMs),
        Duration.ofMillis(authBackoffMaxMs),
        backoffMultiplier,
        backoffJitter);
  }

  /** Checks every option; throws IllegalArgumentException naming the first bad one. */
  public void validate() {
    positive("idleGraceMs", idleGraceMs);
    positive("readTimeoutMs", readTimeoutMs);
    positive("statsIntervalMs", statsIntervalMs);
    backoff();
    authBackoff();
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  public Transport getTransport() {
    return transport;
  }

  public void setTransport(Transport transport) {
    this.transport = transport;
  }

  public PullMode getMode() {
    return mode;
  }

  public void setMode(PullMode mode) {
    this.mode = mode;
  }

  public long getIdleGraceMs() {
    return idleGraceMs;
  }

  public void setIdleGraceMs(long idleGraceMs) {
    this.idleGraceMs = idleGraceMs;
  }

  public long getReadTimeoutMs() {
    return readTimeoutMs;
  }

  public void setReadTimeoutMs(long readTimeoutMs) {
    this.readTimeoutMs = readTimeoutMs;
  }

  public long getBackoffInitialMs() {
    return backoffInitialMs;
  }

  public void setBackoffInitialMs(long v) {
    this.backoffInitialMs = v;
  }

  public long getBackoffMaxMs() {
    return backoffMaxMs;
  }

  public void setBackoffMaxMs(long v) {
    this.backoffMaxMs = v;
  }

  public double getBackoffMultiplier() {
    return backoffMultiplier;
  }

  public void setBackoffMultiplier(double v) {
    this.backoffMultiplier = v;
  }

  public double getBackoffJitter() {
    return backoffJitter;
  }

  public void setBackoffJitter(double v) {
    this.backoffJitter = v;
  }

  public long getAuthBackoffInitialMs() {
    return authBackoffInitialMs;
  }

  public void setAuthBackoffInitialMs(long v) {
    this.authBackoffInitialMs = v;
  }

  public long getAuthBackoffMaxMs() {
    return authBackoffMaxMs;
  }

  public void setAuthBackoffMaxMs(long v) {
    this.authBackoffMaxMs = v;
  }

  public long getStatsIntervalMs() {
    return statsIntervalMs;
  }

  public void setStatsIntervalMs(long v) {
    this.statsIntervalMs = v;
  }
}
