package io.camflow.delivery.hub;

import io.camflow.delivery.gop.GopCache;
import io.camflow.delivery.gop.KeyframeRun;
import io.camflow.delivery.mse.Fragment;
import io.camflow.delivery.mse.MseStream;

/**
 * The one GOP cache of a watched stream: its latest GOP, from the latest video keyframe, as each
 * running feed of the hub delivers it — CMAF fragments (an MSE viewer starts there) and access
 * units (the WebRTC stream packetizes them as they pass). A lane exists while its feed runs and
 * starts afresh with it, so no protocol keeps a GOP cache of its own and a viewer of any protocol
 * starts at once (camflow_delivery_hub_gop_caches counts these, one per hub).
 */
final class StreamGop {

  private KeyframeRun<Fragment> fragments;
  private GopCache units;

  /** A fresh fragments lane for a CMAF feed starting (guarded by the MSE stream that fills it). */
  synchronized KeyframeRun<Fragment> openFragments() {
    fragments = new KeyframeRun<>(MseStream.GOP_CACHE_MAX_BYTES);
    return fragments;
  }

  synchronized void closeFragments() {
    fragments = null; // its MSE stream clears it as it closes
  }

  /** A fresh access units lane for a media feed starting. */
  synchronized GopCache openUnits() {
    units = new GopCache();
    return units;
  }

  synchronized void closeUnits() {
    if (units != null) {
      units.clear();
      units = null;
    }
  }

  /** The lanes held now (tests). */
  synchronized int lanes() {
    return (fragments == null ? 0 : 1) + (units == null ? 0 : 1);
  }
}
