package io.camflow.registry;

import io.camflow.options.Durations;
import io.camflow.options.Option;
import io.camflow.options.StreamOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How a stream is pulled — transport, mode, idleGrace, readTimeout — as typed values, each null
 * when not set here (then the next layer's value applies: the API's or file's stream over the
 * file's {@code defaults:} over {@link #DEFAULTS}, see {@link #resolve}). The one place that knows
 * these fields' names, types and bounds (from {@link StreamOptions}) and their text form, for the
 * registry record, the API's requests and replies and ingest.
 */
public record StreamSettings(
    Transport transport, PullMode mode, Duration idleGrace, Duration readTimeout) {

  /** Nothing set: every setting comes from the layer below. */
  public static final StreamSettings UNSET = new StreamSettings(null, null, null, null);

  /** camflow's own defaults ({@link StreamOptions}): every setting set. */
  public static final StreamSettings DEFAULTS =
      new StreamSettings(
          Transport.byDefault(),
          PullMode.byDefault(),
          StreamOptions.IDLE_GRACE.defaultValue(),
          StreamOptions.READ_TIMEOUT.defaultValue());

  /** The settings' field names, in the order the record, the API and the docs list them. */
  public static final List<String> FIELDS =
      List.of(
          StreamOptions.streamKey(StreamOptions.TRANSPORT),
          StreamOptions.streamKey(StreamOptions.MODE),
          StreamOptions.streamKey(StreamOptions.IDLE_GRACE),
          StreamOptions.streamKey(StreamOptions.READ_TIMEOUT));

  /**
   * @throws IllegalArgumentException when a duration is outside its setting's bounds
   */
  public StreamSettings {
    if (idleGrace != null) {
      StreamOptions.IDLE_GRACE.require(idleGrace);
    }
    if (readTimeout != null) {
      StreamOptions.READ_TIMEOUT.require(readTimeout);
    }
  }

  /** These settings over {@code base}: what is not set here is {@code base}'s. */
  public StreamSettings resolve(StreamSettings base) {
    return new StreamSettings(
        transport != null ? transport : base.transport,
        mode != null ? mode : base.mode,
        idleGrace != null ? idleGrace : base.idleGrace,
        readTimeout != null ? readTimeout : base.readTimeout);
  }

  /** Whether every setting is set (as after resolving over {@link #DEFAULTS}). */
  public boolean complete() {
    return transport != null && mode != null && idleGrace != null && readTimeout != null;
  }

  public StreamSettings withMode(PullMode m) {
    return new StreamSettings(transport, m, idleGrace, readTimeout);
  }

  /**
   * Each field of {@link #FIELDS} and its text as the file, the API and the record write it ({@code
   * udp}, {@code on-demand}, {@code 10s}), null when not set.
   */
  public Map<String, String> texts() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(FIELDS.get(0), transport == null ? null : transport.yamlName());
    out.put(FIELDS.get(1), mode == null ? null : mode.yamlName());
    out.put(FIELDS.get(2), idleGrace == null ? null : Durations.format(idleGrace));
    out.put(FIELDS.get(3), readTimeout == null ? null : Durations.format(readTimeout));
    return out;
  }

  /**
   * Reads the settings from their texts, each checked by its one definition in {@link
   * StreamOptions}. A wrong value is reported to {@code problems} (field name, message; the message
   * says what the setting takes) and left unset.
   *
   * @param textOf a field's text, null when absent
   */
  public static StreamSettings read(
      Function<String, String> textOf, BiConsumer<String, String> problems) {
    return new StreamSettings(
        choice(textOf, StreamOptions.TRANSPORT, problems, Transport::fromYaml),
        choice(textOf, StreamOptions.MODE, problems, PullMode::fromYaml),
        duration(textOf, StreamOptions.IDLE_GRACE, problems),
        duration(textOf, StreamOptions.READ_TIMEOUT, problems));
  }

  /**
   * Reads texts that were checked when written (a registry record).
   *
   * @throws IllegalArgumentException naming the first bad field (not quoting its value)
   */
  public static StreamSettings read(Function<String, String> textOf) {
    return read(
        textOf,
        (field, message) -> {
          throw new IllegalArgumentException(field + " " + message);
        });
  }

  private static <E> E choice(
      Function<String, String> textOf,
      Option<String> setting,
      BiConsumer<String, String> problems,
      Function<String, java.util.Optional<E>> parse) {
    String field = StreamOptions.streamKey(setting);
    String text = textOf.apply(field);
    if (text == null) {
      return null;
    }
    try {
      return parse.apply(setting.type().parse(text)).orElseThrow();
    } catch (IllegalArgumentException e) {
      problems.accept(field, e.getMessage());
      return null;
    }
  }

  private static Duration duration(
      Function<String, String> textOf, Option<Duration> setting, BiConsumer<String, String> out) {
    String field = StreamOptions.streamKey(setting);
    String text = textOf.apply(field);
    if (text == null) {
      return null;
    }
    try {
      Durations.parse(text); // say what is wrong with the text, as the file does
    } catch (IllegalArgumentException e) {
      out.accept(field, "invalid duration: " + e.getMessage());
      return null;
    }
    try {
      return setting.type().parse(text);
    } catch (IllegalArgumentException e) {
      out.accept(field, e.getMessage());
      return null;
    }
  }
}
