package io.camflow.media.sdp;

import java.util.List;

/** {@code a=group:<semantics> <mid>...} (RFC 5888), e.g. {@code BUNDLE 0 1}. */
public record Group(String semantics, List<String> mids) {

  public Group {
    mids = List.copyOf(mids);
  }

  public boolean isBundle() {
    return semantics.equalsIgnoreCase("BUNDLE");
  }
}
