package io.camflow.ingest.rtsp;

import io.camflow.ingest.source.SourceAddress;
import io.camflow.media.StreamKey;
import java.util.Optional;

/** Where each stream comes from. Kept out of endpoint URIs because addresses carry credentials. */
@FunctionalInterface
public interface SourceCatalog {
  Optional<SourceAddress> address(StreamKey key);
}
