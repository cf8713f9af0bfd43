package io.camflow.delivery.http;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;

/**
 * How long the HTTP port gives a connection (docs/delivery.md, "Connections"). Held LL-HLS requests
 * and streamed parts are answers in progress, not idleness; an upgraded WebSocket has the idle rule
 * of its own described at {@link #idleTimeout}.
 *
 * @param idleTimeout a connection with no request being read or answered is closed after this long
 *     ({@code CAMFLOW_HTTP_IDLE_TIMEOUT}); a WebSocket is sent a ping every third of it and is
 *     closed when nothing (pong or message) came from the client for this long
 * @param readTimeout a request must arrive whole, headers and body, within this of its first byte
 *     ({@code CAMFLOW_HTTP_READ_TIMEOUT})
 * @param writeTimeout a connection with bytes waiting to be sent of which the client took none for
 *     this long is closed ({@code CAMFLOW_HTTP_WRITE_TIMEOUT}); WebSockets included
 */
public record HttpSettings(Duration idleTimeout, Duration readTimeout, Duration writeTimeout) {

  static final Duration MIN = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofHours(1);

  public HttpSettings {
    check("CAMFLOW_HTTP_IDLE_TIMEOUT", idleTimeout);
    check("CAMFLOW_HTTP_READ_TIMEOUT", readTimeout);
    check("CAMFLOW_HTTP_WRITE_TIMEOUT", writeTimeout);
  }

  /** Idle 60 s, read 10 s, write 30 s. */
  public static HttpSettings defaults() {
    return new HttpSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  /** {@code delivery.http.idleTimeout}, {@code readTimeout}, {@code writeTimeout}. */
  public static HttpSettings from(Settings settings) {
    return new HttpSettings(
        settings.get(CamflowOptions.HTTP_IDLE_TIMEOUT),
        settings.get(CamflowOptions.HTTP_READ_TIMEOUT),
        settings.get(CamflowOptions.HTTP_WRITE_TIMEOUT));
  }

  private static void check(String name, Duration d) {
    if (d == null || d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          name
              + " must be "
              + MIN.toMillis()
              + " to "
              + MAX.toMillis()
              + " ms, was "
              + (d == null ? "nothing" : d.toMillis()));
    }
  }
}
