package io.camflow.delivery.rtsp;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;

/**
 * The RTSP server's settings (docs/rtsp.md).
 *
 * @param enabled whether delivery serves RTSP ({@code rtsp.enabled})
 * @param port its TCP port ({@code rtsp.port}, 8554; 0: a free one)
 * @param sessionTimeout a connection that sends nothing for this long before it plays is closed;
 *     announced in SETUP's Session header
 * @param startWait how long a DESCRIBE waits for the stream's first keyframe
 * @param maxConnections RTSP connections at once; more are closed at once
 * @param highWaterBytes a reader's unsent bytes past which it skips to the next keyframe
 */
public record RtspSettings(
    boolean enabled,
    int port,
    Duration sessionTimeout,
    Duration startWait,
    int maxConnections,
    int highWaterBytes) {

  public RtspSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("rtsp.port must be 0..65535, was " + port);
    }
  }

  /** On, on {@code port}, with the defaults. */
  public static RtspSettings on(int port) {
    return new RtspSettings(
        true, port, Duration.ofSeconds(60), Duration.ofSeconds(10), 1024, 4 * 1024 * 1024);
  }

  public static RtspSettings from(Settings settings) {
    RtspSettings d = on(settings.get(CamflowOptions.RTSP_PORT));
    return new RtspSettings(
        settings.get(CamflowOptions.RTSP),
        d.port(),
        d.sessionTimeout(),
        d.startWait(),
        d.maxConnections(),
        d.highWaterBytes());
  }
}
