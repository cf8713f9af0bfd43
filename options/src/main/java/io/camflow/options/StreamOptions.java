package io.camflow.options;

import static io.camflow.options.Types.duration;

import java.time.Duration;
import java.util.List;

/**
 * The settings every camera stream has, defined once: in {@code config/camflow.yaml} under {@code
 * defaults:} and on each stream, in the REST API's camera requests and as the {@code rtsp:}
 * endpoint's options. Their values are per stream, so {@link Settings} does not resolve them; the
 * readers of each place use these types (so the bounds are the same everywhere) and these defaults.
 */
public final class StreamOptions {

  private StreamOptions() {}

  /** Longest backoff delay: a day; shortest: 10 ms. */
  private static final Duration MIN_DELAY = Duration.ofMillis(10);

  private static final Duration MAX_DELAY = Duration.ofDays(1);

  public static final Option<String> TRANSPORT =
      Option.key("defaults.transport", Types.choice("tcp", "udp", "auto"))
          .defaultValue("tcp")
          .doc("how RTP comes from the camera: tcp (interleaved), udp, or auto (udp, else tcp)")
          .define();
  public static final Option<String> MODE =
      Option.key("defaults.mode", Types.choice("always", "on-demand"))
          .defaultValue("on-demand")
          .doc("always: pulled all the time (recording); on-demand: while someone watches")
          .define();
  public static final Option<Duration> IDLE_GRACE =
      Option.key("defaults.idleGrace", duration(Duration.ofSeconds(1), Duration.ofDays(1)))
          .defaultValue("10s")
          .doc(
              "on-demand: how long a stream is still pulled after the last viewer's demand heartbeat (every 2 s)")
          .define();
  public static final Option<Duration> READ_TIMEOUT =
      Option.key("defaults.readTimeout", duration(Duration.ofMillis(100), Duration.ofMinutes(10)))
          .defaultValue("10s")
          .doc("no packet from the camera this long: the connection is dropped and retried")
          .define();
  public static final Option<Duration> BACKOFF_INITIAL =
      Option.key("defaults.backoff.initial", duration(MIN_DELAY, MAX_DELAY))
          .defaultValue("500ms")
          .doc("the first retry's delay")
          .define();
  public static final Option<Duration> BACKOFF_MAX =
      Option.key("defaults.backoff.max", duration(MIN_DELAY, MAX_DELAY))
          .defaultValue("30s")
          .doc("the longest retry delay")
          .define();
  public static final Option<Double> BACKOFF_MULTIPLIER =
      Option.key("defaults.backoff.multiplier", Types.decimal(1, 10))
          .defaultValue("2")
          .doc("each retry waits this many times longer")
          .define();
  public static final Option<Double> BACKOFF_JITTER =
      Option.key("defaults.backoff.jitter", Types.decimalBelow(0, 1))
          .defaultValue("0.2")
          .doc(
              "delays spread by ± this fraction, so cameras behind one switch do not retry in step")
          .define();
  public static final Option<Duration> BACKOFF_AUTH_INITIAL =
      Option.key("defaults.backoff.authInitial", duration(MIN_DELAY, MAX_DELAY))
          .defaultValue("30s")
          .doc("the first retry's delay after the camera refused the credentials")
          .define();
  public static final Option<Duration> BACKOFF_AUTH_MAX =
      Option.key("defaults.backoff.authMax", duration(MIN_DELAY, MAX_DELAY))
          .defaultValue("5m")
          .doc(
              "the longest such delay (a password retried every 500 ms locks many cameras' accounts)")
          .define();

  /** A camera's (not a stream's): how far back its recording reaches; its topics' retention. */
  public static final Option<Duration> DVR_RETENTION =
      Option.key("dvr.retention", duration(Duration.ofMinutes(1), Duration.ofDays(3650)))
          .defaultValue("24h")
          .doc("how long Kafka keeps the camera's media, i.e. how far back DVR playback reaches")
          .define();

  /** The smallest size bound: several of the log segments it is deleted by (16 MiB at least). */
  static final long DVR_MAX_SIZE_MIN = 100L * 1000 * 1000;

  static final long DVR_MAX_SIZE_MAX = 1000L * 1000 * 1000 * 1000 * 1000;

  /**
   * A camera's (not a stream's): the most disk each of its streams' recordings may take; its media
   * and CMAF topics' {@code retention.bytes}. No default: bounded by {@link #DVR_RETENTION} only.
   */
  public static final Option<Long> DVR_MAX_SIZE =
      Option.key("dvr.maxSize", Types.dataSize(DVR_MAX_SIZE_MIN, DVR_MAX_SIZE_MAX))
          .unset("unbounded")
          .doc(
              "most disk the camera's recording may take per stream: its access-unit and CMAF"
                  + " topics each keep at most this much (oldest deleted first); unbounded when not"
                  + " set")
          .define();

  /** Every stream setting, in the order of this class. */
  public static List<Option<?>> all() {
    return List.of(
        TRANSPORT,
        MODE,
        IDLE_GRACE,
        READ_TIMEOUT,
        BACKOFF_INITIAL,
        BACKOFF_MAX,
        BACKOFF_MULTIPLIER,
        BACKOFF_JITTER,
        BACKOFF_AUTH_INITIAL,
        BACKOFF_AUTH_MAX);
  }

  /**
   * The name of the setting on a stream: the key without {@code defaults.} ({@code
   * backoff.jitter}).
   */
  public static String streamKey(Option<?> option) {
    return option.key().substring("defaults.".length());
  }
}
