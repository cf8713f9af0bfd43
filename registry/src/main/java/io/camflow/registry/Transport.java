package io.camflow.registry;

import io.camflow.options.StreamOptions;
import java.util.Locale;
import java.util.Optional;

/**
 * How RTP reaches camflow from the camera (RTSP's lower transport): the stream setting {@code
 * transport} of the file, the API and the registry record, and the {@code rtsp:} endpoint's option.
 * Its spellings are the choices of {@link StreamOptions#TRANSPORT}.
 */
public enum Transport {
  /**
   * RTP interleaved in the RTSP TCP connection: works through NAT and firewalls, never loses
   * packets.
   */
  TCP("tcp"),
  /** RTP over UDP ports negotiated in SETUP: lowest latency on a clean LAN. */
  UDP("udp"),
  /** Try UDP; fall back to TCP when the camera refuses it or no packet arrives. */
  AUTO("auto");

  private final String yamlName;

  Transport(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The spelling in {@code camflow.yaml}, the API and the registry record. */
  public String yamlName() {
    return yamlName;
  }

  /** Case-insensitive; empty when {@code text} names no transport. */
  public static Optional<Transport> fromYaml(String text) {
    for (Transport t : values()) {
      if (t.yamlName.equals(text.strip().toLowerCase(Locale.ROOT))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The default, {@link StreamOptions#TRANSPORT}'s. */
  public static Transport byDefault() {
    return fromYaml(StreamOptions.TRANSPORT.defaultValue()).orElseThrow();
  }
}
