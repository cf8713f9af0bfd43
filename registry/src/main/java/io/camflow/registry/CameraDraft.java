package io.camflow.registry;

import java.util.Map;

/**
 * A camera as an API request described it, validated: the entry (no passwords in it yet) and the
 * passwords the request gave, by stream name, to be sealed. A stream absent from {@code passwords}
 * keeps the password stored for it.
 */
public record CameraDraft(CameraEntry entry, Map<String, String> passwords) {

  public CameraDraft {
    passwords = Map.copyOf(passwords);
  }

  @Override
  public String toString() {
    return "CameraDraft[" + entry + ", passwords for " + passwords.keySet() + "]";
  }
}
