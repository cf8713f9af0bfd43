package io.camflow.delivery.rtsp;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.time.Duration;

/**
 * The RTSP server's settings (docs/rtsp.md).
 *
 * @param enabled whether delivery serves RTSP ({@code rtsp.enabled})
 * @param port its TCP port ({@code rtsp.port}, 8554; 0: a free one)
 * @param tls whether it serves RTSPS too ({@code rtsp.tls}): RTSP over TLS with the HTTPS port's
 *     certificate, so only while delivery serves HTTPS
 * @param tlsPort the RTSPS port ({@code rtsp.tlsPort}, 8322; 0: a free one)
 * @param udp whether readers may take RTP over UDP ({@code rtsp.udp})
 * @param rtpPort the UDP port RTP leaves from, even; RTCP uses the next ({@code rtsp.rtpPort},
 *     8000; 0: a free pair)
 * @param sessionTimeout a connection that sends nothing for this long before it plays is closed, as
 *     is a UDP reader that shows no sign of life; announced in SETUP's Session header
 * @param startWait how long a DESCRIBE waits for the stream's first keyframe
 * @param maxConnections RTSP connections at once; more are closed at once
 * @param highWaterBytes a reader's unsent bytes past which it skips to the next keyframe
 * @param credentialRecheck how long a Keycloak client's credentials are taken as checked: a playing
 *     reader that presented them is re-checked this often, so a revocation ends it within that time
 * @param publishReplace whether a new publisher of a stream replaces the one sending it ({@code
 *     rtsp.publishReplace}; else it is refused)
 */
public record RtspSettings(
    boolean enabled,
    int port,
    boolean tls,
    int tlsPort,
    boolean udp,
    int rtpPort,
    Duration sessionTimeout,
    Duration startWait,
    int maxConnections,
    int highWaterBytes,
    Duration credentialRecheck,
    boolean publishReplace) {

  public RtspSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("rtsp.port must be 0..65535, was " + port);
    }
    if (tlsPort < 0 || tlsPort > 65535) {
      throw new IllegalArgumentException("rtsp.tlsPort must be 0..65535, was " + tlsPort);
    }
    if (tls && tlsPort != 0 && tlsPort == port) {
      throw new IllegalArgumentException(
          "rtsp.tlsPort must differ from rtsp.port (RTSPS and RTSP take a port each), both were "
              + port);
    }
    if (rtpPort < 0 || rtpPort > 65534 || rtpPort % 2 != 0) {
      throw new IllegalArgumentException(
          "rtsp.rtpPort must be an even port below 65535 (RTCP takes the next) or 0, was "
              + rtpPort);
    }
  }

  /**
   * On, TCP on {@code port}, RTSPS (given a certificate) on a free port, UDP on a free pair of
   * ports, with the defaults.
   */
  public static RtspSettings on(int port) {
    return new RtspSettings(
        true,
        port,
        true,
        0,
        true,
        0,
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        1024,
        4 * 1024 * 1024,
        Duration.ofSeconds(60),
        false);
  }

  /** The same with this wait for a stream's first keyframe. */
  public RtspSettings withStartWait(Duration wait) {
    return new RtspSettings(
        enabled,
        port,
        tls,
        tlsPort,
        udp,
        rtpPort,
        sessionTimeout,
        wait,
        maxConnections,
        highWaterBytes,
        credentialRecheck,
        publishReplace);
  }

  /** The same with this re-check interval of client credentials. */
  public RtspSettings withCredentialRecheck(Duration recheck) {
    return new RtspSettings(
        enabled,
        port,
        tls,
        tlsPort,
        udp,
        rtpPort,
        sessionTimeout,
        startWait,
        maxConnections,
        highWaterBytes,
        recheck,
        publishReplace);
  }

  /** The same where a new publisher replaces the one sending. */
  public RtspSettings withPublishReplace(boolean replace) {
    return new RtspSettings(
        enabled,
        port,
        tls,
        tlsPort,
        udp,
        rtpPort,
        sessionTimeout,
        startWait,
        maxConnections,
        highWaterBytes,
        credentialRecheck,
        replace);
  }

  public static RtspSettings from(Settings settings) {
    RtspSettings d = on(settings.get(CamflowOptions.RTSP_PORT));
    return new RtspSettings(
        settings.get(CamflowOptions.RTSP),
        d.port(),
        settings.get(CamflowOptions.RTSP_TLS),
        settings.get(CamflowOptions.RTSP_TLS_PORT),
        settings.get(CamflowOptions.RTSP_UDP),
        settings.get(CamflowOptions.RTSP_RTP_PORT),
        d.sessionTimeout(),
        d.startWait(),
        d.maxConnections(),
        d.highWaterBytes(),
        d.credentialRecheck(),
        settings.get(CamflowOptions.RTSP_PUBLISH_REPLACE));
  }
}
