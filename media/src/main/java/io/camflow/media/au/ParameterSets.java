package io.camflow.media.au;

import io.camflow.media.au.NalSyntax.ParameterSetKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameter sets currently in force, by kind and id. A set with the id of an existing one
 * replaces it, which is how an in-band SPS supersedes the one from the SDP.
 */
final class ParameterSets {

  private final Map<ParameterSetKind, TreeMap<Integer, byte[]>> sets =
      new EnumMap<>(ParameterSetKind.class);

  ParameterSets() {
    for (ParameterSetKind kind : ParameterSetKind.values()) {
      sets.put(kind, new TreeMap<>());
    }
  }

  void put(ParameterSetKind kind, int id, byte[] nal) {
    sets.get(kind).put(id, nal);
  }

  boolean isEmpty() {
    return sets.values().stream().allMatch(Map::isEmpty);
  }

  /** All sets in decoding order: VPS, SPS, PPS, each by ascending id. */
  List<byte[]> inDecodingOrder() {
    List<byte[]> all = new ArrayList<>();
    for (TreeMap<Integer, byte[]> byId : sets.values()) { // EnumMap iterates in declaration order
      all.addAll(byId.values());
    }
    return all;
  }
}
