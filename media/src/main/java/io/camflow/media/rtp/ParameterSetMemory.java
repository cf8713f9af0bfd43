package io.camflow.media.rtp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The parameter sets a packetizer sends before every random access point (H.264 IDR, H.265 IRAP):
 * the access unit's own when complete, else the codec configuration's, else the last complete ones
 * seen. A WebRTC viewer can join at any random access point and has no other way to learn them (the
 * answer carries no sprop-parameter-sets). One per stream.
 */
final class ParameterSetMemory {

  private final Predicate<List<byte[]>> complete;
  private List<byte[]> last = List.of();

  /**
   * @param complete whether a list holds every kind of parameter set the codec needs
   */
  ParameterSetMemory(Predicate<List<byte[]>> complete) {
    this.complete = complete;
  }

  /**
   * The parameter sets to send ahead of an access unit's other NAL units.
   *
   * @param carried the access unit's own parameter sets, possibly none
   * @param configSets those of the codec configuration in force, possibly none
   * @param randomAccess whether the access unit is a random access point
   */
  List<byte[]> ahead(List<byte[]> carried, List<byte[]> configSets, boolean randomAccess) {
    if (complete.test(carried)) {
      last = List.copyOf(carried);
      return carried;
    }
    if (!randomAccess) {
      return carried;
    }
    if (complete.test(configSets)) {
      last = List.copyOf(configSets);
    }
    // whatever this access unit carried goes out anyway; the complete set precedes it
    List<byte[]> merged = new ArrayList<>(last);
    merged.addAll(carried);
    return merged;
  }
}
