package io.camflow.ingest.config;

import io.camflow.ingest.config.YamlMap.Entry;
import io.camflow.options.Durations;
import io.camflow.options.Option;
import io.camflow.options.StreamOptions;
import io.camflow.registry.PullMode;
import io.camflow.registry.Transport;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the settings a stream shares with {@code defaults:} (transport, mode, idleGrace,
 * readTimeout, backoff), each over a base: what a stream does not set, it inherits. A wrong value
 * is reported and replaced by the base one, so one mistake gives one error, not a cascade.
 */
final class StreamSettingsReader {

  static final List<String> SETTINGS_KEYS =
      List.of("transport", "mode", "idleGrace", "readTimeout", "backoff");
  static final List<String> BACKOFF_KEYS =
      List.of("initial", "max", "multiplier", "jitter", "authInitial", "authMax");

  private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");

  private final ConfigErrors errors;

  StreamSettingsReader(ConfigErrors errors) {
    this.errors = errors;
  }

  StreamDefaults read(YamlMap options, StreamDefaults base) {
    Transport transport =
        choice(
            options.get("transport"),
            Transport.values(),
            Transport::yamlName,
            Transport::fromYaml,
            base.transport());
    PullMode mode =
        choice(
            options.get("mode"),
            PullMode.values(),
            PullMode::yamlName,
            PullMode::fromYaml,
            base.mode());
    Duration idleGrace =
        duration(options.get("idleGrace"), StreamOptions.IDLE_GRACE, base.idleGrace());
    Duration readTimeout =
        duration(options.get("readTimeout"), StreamOptions.READ_TIMEOUT, base.readTimeout());
    RetryPolicy backoff = backoff(options.get("backoff"), base.backoff());
    return new StreamDefaults(transport, mode, idleGrace, readTimeout, backoff);
  }

  /** A duration setting within its definition's bounds; {@code base} when absent or wrong. */
  Duration duration(Optional<Entry> option, Option<Duration> setting, Duration base) {
    Entry e = option.orElse(null);
    String text = YamlMap.scalar(e, errors);
    if (text == null) {
      return base;
    }
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException bad) {
      errors.add(
          e.path(),
          e.value(),
          errors.mayQuote(text)
              ? "invalid duration " + errors.quote(text) + ": " + bad.getMessage()
              : "invalid duration (value hidden); write e.g. 500ms, 10s, 5m, 24h or 7d");
      return base;
    }
    try {
      return setting.type().parse(text);
    } catch (IllegalArgumentException outOfRange) {
      errors.add(e.path(), e.value(), outOfRange.getMessage() + ", not " + errors.quote(text));
      return base;
    }
  }

  private <T extends Enum<T>> T choice(
      Optional<Entry> option,
      T[] values,
      Function<T, String> name,
      Function<String, Optional<T>> parse,
      T base) {
    Entry e = option.orElse(null);
    String text = YamlMap.scalar(e, errors);
    if (text == null) {
      return base;
    }
    Optional<T> value = parse.apply(text.strip());
    if (value.isPresent()) {
      return value.get();
    }
    List<String> names = Arrays.stream(values).map(name).toList();
    StringBuilder message =
        new StringBuilder("unknown ").append(e.key()).append(' ').append(errors.quote(text));
    if (errors.mayQuote(text)) {
      KeySuggestion.closest(text, names)
          .ifPresent(n -> message.append(" (did you mean '").append(n).append("'?)"));
    }
    message
        .append("; expected ")
        .append(String.join(", ", names.subList(0, names.size() - 1)))
        .append(" or ")
        .append(names.get(names.size() - 1));
    errors.add(e.path(), e.value(), message.toString());
    return base;
  }

  private double decimal(Optional<Entry> option, Option<Double> setting, double base) {
    Entry e = option.orElse(null);
    String text = YamlMap.scalar(e, errors);
    if (text == null) {
      return base;
    }
    if (!DECIMAL.matcher(text.strip()).matches()) {
      errors.add(e.path(), e.value(), "not a number: " + errors.quote(text));
      return base;
    }
    try {
      return setting.type().parse(text);
    } catch (IllegalArgumentException outOfRange) {
      errors.add(e.path(), e.value(), outOfRange.getMessage() + ", not " + errors.quote(text));
      return base;
    }
  }

  private RetryPolicy backoff(Optional<Entry> option, RetryPolicy base) {
    if (option.isEmpty()) {
      return base;
    }
    Entry e = option.get();
    Optional<YamlMap> read =
        YamlMap.read(
            e.value(),
            e.path(),
            e.line(),
            errors,
            "a map of initial, max, multiplier, jitter, authInitial and authMax",
            "key");
    if (read.isEmpty()) {
      return base;
    }
    YamlMap m = read.get();
    m.rejectUnknown(BACKOFF_KEYS, Map.of(), errors);
    int before = errors.count();
    Duration initial = duration(m.get("initial"), StreamOptions.BACKOFF_INITIAL, base.initial());
    Duration max = duration(m.get("max"), StreamOptions.BACKOFF_MAX, base.max());
    boolean delaysRead = errors.count() == before;
    double multiplier =
        decimal(m.get("multiplier"), StreamOptions.BACKOFF_MULTIPLIER, base.multiplier());
    double jitter = decimal(m.get("jitter"), StreamOptions.BACKOFF_JITTER, base.jitter());
    int beforeAuth = errors.count();
    Duration authInitial =
        duration(m.get("authInitial"), StreamOptions.BACKOFF_AUTH_INITIAL, base.authInitial());
    Duration authMax = duration(m.get("authMax"), StreamOptions.BACKOFF_AUTH_MAX, base.authMax());
    boolean authDelaysRead = errors.count() == beforeAuth;
    // compare only what was read: a wrong value was replaced by the base one, which proves nothing
    if (delaysRead) {
      orderly(m, "initial", initial, "max", max, e);
    }
    if (authDelaysRead) {
      orderly(m, "authInitial", authInitial, "authMax", authMax, e);
    }
    if (errors.count() != before) {
      return base;
    }
    return new RetryPolicy(initial, max, multiplier, jitter, authInitial, authMax);
  }

  /** {@code first <= second}, reported at whichever of them this map sets. */
  private void orderly(
      YamlMap m,
      String firstKey,
      Duration first,
      String secondKey,
      Duration second,
      Entry backoff) {
    if (first.compareTo(second) <= 0) {
      return;
    }
    Entry at = m.get(firstKey).or(() -> m.get(secondKey)).orElse(backoff);
    errors.add(
        at.path(),
        at.line(),
        firstKey
            + " ("
            + Durations.format(first)
            + ") is longer than "
            + secondKey
            + " ("
            + Durations.format(second)
            + ")");
  }
}
