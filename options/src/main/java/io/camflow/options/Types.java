package io.camflow.options;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The value types of camflow's options: each with its parser, its bounds and its doc text. */
public final class Types {

  private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,9}(\\.\\d{1,9})?");
  private static final Pattern HOST_PORT =
      Pattern.compile("[A-Za-z0-9._-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}");

  private Types() {}

  /** Any text, surrounding blanks removed; empty allowed. */
  public static OptionType<String> text() {
    return simple(t -> t, "text");
  }

  /** Text of one line, not empty. */
  public static OptionType<String> name(Pattern allowed, String describe) {
    return simple(
        t -> {
          if (!allowed.matcher(t).matches()) {
            throw new IllegalArgumentException("must be " + describe);
          }
          return t;
        },
        describe);
  }

  /** A whole number from {@code min} to {@code max}. */
  public static OptionType<Integer> integer(int min, int max) {
    String range = "a whole number from " + min + " to " + max;
    return simple(
        t -> {
          long v = WHOLE.matcher(t).matches() ? Long.parseLong(t) : Long.MIN_VALUE;
          if (v < min || v > max) {
            throw new IllegalArgumentException("must be " + range);
          }
          return (int) v;
        },
        range);
  }

  /** A TCP or UDP port, 1 to 65535; with {@code zeroMeans} also 0, which means that. */
  public static OptionType<Integer> port(String zeroMeans) {
    int min = zeroMeans == null ? 1 : 0;
    String describe =
        zeroMeans == null ? "a port, 1 to 65535" : "a port, 1 to 65535, or 0 (" + zeroMeans + ")";
    return simple(
        t -> {
          long v = WHOLE.matcher(t).matches() ? Long.parseLong(t) : Long.MIN_VALUE;
          if (v < min || v > 65_535) {
            throw new IllegalArgumentException("must be " + describe);
          }
          return (int) v;
        },
        describe);
  }

  /** A decimal number with {@code min <= x < maxExclusive}. */
  public static OptionType<Double> decimalBelow(double min, double maxExclusive) {
    String range = "a number from " + plain(min) + " up to (not including) " + plain(maxExclusive);
    return decimal(v -> v >= min && v < maxExclusive, range);
  }

  /** A decimal number from {@code min} to {@code max}. */
  public static OptionType<Double> decimal(double min, double max) {
    return decimal(v -> v >= min && v <= max, "a number from " + plain(min) + " to " + plain(max));
  }

  private static OptionType<Double> decimal(java.util.function.DoublePredicate fits, String range) {
    return new OptionType<>() {
      @Override
      public Double parse(String t) {
        String s = t.strip();
        if (!DECIMAL.matcher(s).matches() || !fits.test(Double.parseDouble(s))) {
          throw new IllegalArgumentException("must be " + range);
        }
        return Double.parseDouble(s);
      }

      @Override
      public String format(Double value) {
        return plain(value);
      }

      @Override
      public String describe() {
        return range;
      }
    };
  }

  /** A duration ({@code 500ms}, {@code 10s}, {@code 7d}) from {@code min} to {@code max}. */
  public static OptionType<Duration> duration(Duration min, Duration max) {
    return duration(min, max, false);
  }

  /** As {@link #duration}, to the microsecond ({@code 333340us}). */
  public static OptionType<Duration> fineDuration(Duration min, Duration max) {
    return duration(min, max, true);
  }

  private static OptionType<Duration> duration(Duration min, Duration max, boolean fine) {
    String range = "a duration from " + Durations.format(min) + " to " + Durations.format(max);
    return new OptionType<>() {
      @Override
      public Duration parse(String text) {
        Duration d = fine ? Durations.parseFine(text) : Durations.parse(text);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
          throw new IllegalArgumentException(
              "must be between " + Durations.format(min) + " and " + Durations.format(max));
        }
        return d;
      }

      @Override
      public String format(Duration value) {
        return Durations.format(value);
      }

      @Override
      public String describe() {
        return range;
      }
    };
  }

  /** The units of {@link #dataSize}, largest first within each family. */
  private static final List<String> SIZE_UNITS =
      List.of("B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB");

  private static final String SIZE_UNIT_LIST = "B, KB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB";

  /** A number and the letters after it; whether those letters are a unit is checked apart. */
  private static final Pattern SIZE = Pattern.compile("(\\d{1,19}(?:\\.\\d{1,19})?)([A-Za-z]*)");

  /**
   * An amount of data from {@code min} to {@code max} bytes, written as a whole or decimal number
   * and a unit: {@code 500MB}, {@code 50GB}, {@code 1.5TB}, {@code 2TiB}. {@code B}, {@code KB},
   * {@code MB}, {@code GB}, {@code TB} and {@code PB} are powers of 1000 (as disks are sold),
   * {@code KiB} to {@code PiB} powers of 1024; units are written as here (case matters: {@code mb}
   * would be millibits). No spaces, whole bytes only. Written back in the largest unit that keeps
   * it a whole number ({@code 1500GB}, {@code 2TiB}).
   */
  public static OptionType<Long> dataSize(long min, long max) {
    String range = "a data size from " + formatSize(min) + " to " + formatSize(max);
    return new OptionType<>() {
      @Override
      public Long parse(String text) {
        long bytes = parseSize(text);
        if (bytes < min || bytes > max) {
          throw new IllegalArgumentException(
              "must be between " + formatSize(min) + " and " + formatSize(max));
        }
        return bytes;
      }

      @Override
      public String format(Long value) {
        return formatSize(value);
      }

      @Override
      public String describe() {
        return range;
      }
    };
  }

  private static long parseSize(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty; write e.g. 50GB (units: " + SIZE_UNIT_LIST + ")");
    }
    String s = text.strip();
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("cannot be negative");
    }
    if (s.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("must not contain spaces; write e.g. 50GB");
    }
    java.util.regex.Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "is not a data size; write e.g. 500MB, 50GB, 1.5TB or 2TiB");
    }
    String unit = m.group(2);
    if (unit.isEmpty()) {
      throw new IllegalArgumentException(
          "has no unit; write e.g. " + m.group(1) + "GB (units: " + SIZE_UNIT_LIST + ")");
    }
    Long size = unitBytes(unit);
    if (size == null) {
      String known =
          SIZE_UNITS.stream().filter(u -> u.equalsIgnoreCase(unit)).findFirst().orElse(null);
      throw new IllegalArgumentException(
          "has an unknown unit '"
              + unit
              + "'"
              + (known == null ? "" : " (did you mean '" + known + "'?)")
              + "; units: "
              + SIZE_UNIT_LIST);
    }
    java.math.BigDecimal bytes =
        new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(size));
    if (bytes.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("is not a whole number of bytes");
    }
    if (bytes.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("is too large");
    }
    return bytes.longValueExact();
  }

  private static Long unitBytes(String unit) {
    return switch (unit) {
      case "B" -> 1L;
      case "KB" -> 1000L;
      case "MB" -> 1000L * 1000;
      case "GB" -> 1000L * 1000 * 1000;
      case "TB" -> 1000L * 1000 * 1000 * 1000;
      case "PB" -> 1000L * 1000 * 1000 * 1000 * 1000;
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "TiB" -> 1L << 40;
      case "PiB" -> 1L << 50;
      default -> null;
    };
  }

  /** The shortest text {@link #parseSize} reads back as {@code bytes}: the fewest digits. */
  private static String formatSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative data size");
    }
    String best = bytes + "B";
    for (String unit : SIZE_UNITS) {
      long size = unitBytes(unit);
      if (bytes != 0 && bytes % size == 0) {
        String candidate = bytes / size + unit;
        if (candidate.length() < best.length()) {
          best = candidate;
        }
      }
    }
    return best;
  }

  /** {@code on} or {@code off} ({@code true}/{@code false} and {@code 1}/{@code 0} too). */
  public static OptionType<Boolean> onOff() {
    return new OptionType<>() {
      @Override
      public Boolean parse(String t) {
        return switch (t.strip().toLowerCase(Locale.ROOT)) {
          case "on", "true", "1" -> true;
          case "off", "false", "0" -> false;
          default -> throw new IllegalArgumentException("must be on or off");
        };
      }

      @Override
      public String format(Boolean value) {
        return value ? "on" : "off";
      }

      @Override
      public String describe() {
        return "on or off";
      }
    };
  }

  /** One of {@code choices}, written in lower case. */
  public static OptionType<String> choice(String... choices) {
    List<String> all = List.of(choices);
    String describe =
        all.size() == 1
            ? all.get(0)
            : String.join(", ", all.subList(0, all.size() - 1)) + " or " + all.get(all.size() - 1);
    return simple(
        t -> {
          String v = t.strip().toLowerCase(Locale.ROOT);
          if (!all.contains(v)) {
            throw new IllegalArgumentException("must be " + describe);
          }
          return v;
        },
        describe);
  }

  /** An http(s) URL with a host. */
  public static OptionType<URI> httpUrl() {
    return new OptionType<>() {
      @Override
      public URI parse(String t) {
        try {
          URI u = new URI(t.strip());
          if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
              || u.getHost() == null) {
            throw new URISyntaxException(t, "not http(s)");
          }
          return u;
        } catch (URISyntaxException e) {
          throw new IllegalArgumentException("must be an http(s) URL, e.g. http://localhost:8180");
        }
      }

      @Override
      public String describe() {
        return "an http(s) URL";
      }
    };
  }

  /** A file or directory path (relative ones from the working directory). */
  public static OptionType<Path> path() {
    return new OptionType<>() {
      @Override
      public Path parse(String t) {
        if (t.isBlank() || t.indexOf('\0') >= 0) {
          throw new IllegalArgumentException("must be a path");
        }
        return Path.of(t.strip());
      }

      @Override
      public String describe() {
        return "a path";
      }
    };
  }

  /** Kafka's bootstrap servers: {@code host:port[,host:port...]}. */
  public static OptionType<String> hostPorts() {
    return simple(
        t -> {
          for (String s : t.split(",", -1)) {
            String server = s.strip();
            if (!HOST_PORT.matcher(server).matches()
                || Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)) > 65_535
                || Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)) < 1) {
              throw new IllegalArgumentException(
                  "expected host:port[,host:port...], e.g. localhost:9092; "
                      + (server.isEmpty()
                          ? "found an empty entry"
                          : "'" + server + "' is not host:port"));
            }
          }
          return t.strip();
        },
        "host:port[,host:port...]");
  }

  /**
   * A comma-separated list of {@code element}s; empty text is the empty list, an empty entry an
   * error.
   */
  public static <T> OptionType<List<T>> list(OptionType<T> element) {
    return new OptionType<>() {
      @Override
      public List<T> parse(String t) {
        List<T> out = new ArrayList<>();
        if (t.isBlank()) {
          return List.of();
        }
        for (String s : t.split(",", -1)) {
          if (s.isBlank()) {
            throw new IllegalArgumentException(
                "has an empty entry; separate entries with one comma");
          }
          out.add(element.parse(s.strip()));
        }
        return List.copyOf(out);
      }

      @Override
      public String format(List<T> value) {
        return String.join(",", value.stream().map(element::format).toList());
      }

      @Override
      public String describe() {
        return "comma-separated: " + element.describe();
      }
    };
  }

  /** A key in base64 of at least {@code minBytes} bytes. */
  public static OptionType<byte[]> base64Key(int minBytes) {
    return new OptionType<>() {
      @Override
      public byte[] parse(String t) {
        byte[] key;
        try {
          key = Base64.getDecoder().decode(t.strip());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("must be base64");
        }
        if (key.length < minBytes) {
          throw new IllegalArgumentException("must decode to at least " + minBytes + " bytes");
        }
        return key;
      }

      @Override
      public String format(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
      }

      @Override
      public String describe() {
        return "base64, at least "
            + minBytes
            + " bytes (e.g. openssl rand -base64 "
            + minBytes
            + ")";
      }
    };
  }

  private static <T> OptionType<T> simple(Function<String, T> parse, String describe) {
    return new OptionType<>() {
      @Override
      public T parse(String t) {
        return parse.apply(t.strip());
      }

      @Override
      public String describe() {
        return describe;
      }
    };
  }

  static String plain(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /**
   * An IP address literal of this machine ({@code 0.0.0.0}, {@code 127.0.0.1}, {@code ::1}); no
   * host names.
   */
  public static OptionType<String> ipAddress() {
    Pattern ipv4 =
        Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    Pattern ipv6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");
    return simple(
        t -> {
          if (!ipv4.matcher(t).matches() && !ipv6.matcher(t).matches()) {
            throw new IllegalArgumentException(
                "must be an IP address of this machine (0.0.0.0 for every interface, "
                    + "127.0.0.1 for this machine only)");
          }
          return t;
        },
        "an IP address");
  }

  /** A port, or {@code off} (also {@code 0}): 0 stands for off. */
  public static OptionType<Integer> portOrOff() {
    return new OptionType<>() {
      @Override
      public Integer parse(String t) {
        String v = t.strip().toLowerCase(Locale.ROOT);
        if (v.equals("off")) {
          return 0;
        }
        return port("off").parse(v);
      }

      @Override
      public String format(Integer value) {
        return value == 0 ? "off" : value.toString();
      }

      @Override
      public String describe() {
        return "a port, 1 to 65535, or off";
      }
    };
  }
}
