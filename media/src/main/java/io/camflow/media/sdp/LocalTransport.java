package io.camflow.media.sdp;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * camflow's side of the one transport a viewer gets: ICE-lite credentials, the SHA-256 fingerprint
 * of the DTLS certificate, and the host candidates.
 */
public record LocalTransport(
    String iceUfrag, String icePwd, Fingerprint fingerprint, List<HostCandidate> candidates) {

  /** RFC 8839 5.4: ice-char = ALPHA / DIGIT / "+" / "/"; ufrag 4..256, pwd 22..256 of them. */
  private static final Pattern UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");

  private static final Pattern PWD = Pattern.compile("[A-Za-z0-9+/]{22,256}");

  public LocalTransport {
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (iceUfrag == null || !UFRAG.matcher(iceUfrag).matches()) {
      throw new IllegalArgumentException("ICE ufrag must be 4..256 of A-Z a-z 0-9 + /");
    }
    if (icePwd == null || !PWD.matcher(icePwd).matches()) {
      throw new IllegalArgumentException("ICE password must be 22..256 of A-Z a-z 0-9 + /");
    }
    if (!fingerprint.hashFunction().equals("sha-256") || fingerprint.digest().length != 32) {
      throw new IllegalArgumentException("the answer's fingerprint must be SHA-256");
    }
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("an ICE-lite answer needs at least one host candidate");
    }
  }

  /** The password is a credential: never printed. */
  @Override
  public String toString() {
    return "LocalTransport[ufrag="
        + iceUfrag
        + ", pwd=…, fingerprint="
        + fingerprint
        + ", candidates="
        + candidates
        + "]";
  }
}
