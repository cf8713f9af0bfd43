package io.camflow.ingest.rtsp;

import io.camflow.ingest.source.FfmpegRtspSource;
import io.camflow.ingest.source.MediaSource;
import io.camflow.ingest.source.SourceAddress;
import io.camflow.ingest.source.SyntheticSource;
import java.time.Duration;

/**
 * Opens the right kind of source for an address: an RTSP camera, or camflow's synthetic test
 * pattern.
 */
@FunctionalInterface
public interface SourceFactory {

  MediaSource create(SourceAddress address, RtspConfiguration configuration);

  SourceFactory DEFAULT =
      (address, configuration) -> {
        String scheme = address.url().getScheme();
        Duration timeout = Duration.ofMillis(configuration.getReadTimeoutMs());
        return switch (scheme == null ? "" : scheme) {
          case "rtsp", "rtsps" ->
              new FfmpegRtspSource(address, configuration.getTransport(), timeout);
          case "synthetic" -> new SyntheticSource(address.url());
          default ->
              throw new IllegalArgumentException(
                  "unsupported source scheme '" + scheme + "' in " + address.url());
        };
      };
}
