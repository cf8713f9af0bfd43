package io.camflow.delivery.mse;

import io.camflow.delivery.dvr.RecordedMedia;
import io.camflow.delivery.dvr.RecordingIndex;
import io.camflow.media.StreamKey;
import java.util.concurrent.Executor;

/**
 * What MSE viewers play recordings from (docs/mse.md, "Recordings"): the recordings' index and
 * media readers, shared with the DVR door, and the executor their blocking reads run on — a single
 * thread (the DVR door's), so that one viewer's reads run in the order they were asked.
 */
public record Recordings(RecordingIndex index, RecordedMedia media, Executor executor) {

  RecordedPlayback playback(StreamKey key) {
    return new RecordedPlayback(index, media, key);
  }
}
