package io.camflow.webrtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A certificate fingerprint as SDP's {@code a=fingerprint} carries it (RFC 8122 §5): {@code sha-256
 * AB:CD:…}. The browser's one comes from its offer and must match the certificate it presents in
 * the DTLS handshake; ours goes into the answer.
 *
 * @param algorithm the hash function's SDP name, lower case ({@code sha-256})
 * @param digest the hash of the DER-encoded certificate
 */
public record CertificateFingerprint(String algorithm, byte[] digest) {

  private static final Pattern HEX_PAIRS = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*");
  private static final Set<String> ALGORITHMS =
      Set.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512");

  public CertificateFingerprint {
    algorithm = algorithm.toLowerCase(Locale.ROOT);
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("unsupported fingerprint hash '" + algorithm + "'");
    }
    digest = digest.clone();
  }

  /** Parses the attribute value {@code sha-256 AB:CD:…} (without {@code a=fingerprint:}). */
  public static CertificateFingerprint parse(String sdpValue) {
    String[] parts = sdpValue.trim().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException("a fingerprint is '<hash> <hex:hex:…>'");
    }
    if (!HEX_PAIRS.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException("a fingerprint's digest is hex pairs separated by ':'");
    }
    CertificateFingerprint fp =
        new CertificateFingerprint(parts[0], HexFormat.of().parseHex(parts[1].replace(":", "")));
    if (fp.digest.length != messageDigest(fp.algorithm).getDigestLength()) {
      throw new IllegalArgumentException(
          "a "
              + fp.algorithm
              + " fingerprint has "
              + messageDigest(fp.algorithm).getDigestLength()
              + " bytes");
    }
    return fp;
  }

  /** The fingerprint of a DER-encoded certificate with the given hash. */
  public static CertificateFingerprint of(String algorithm, byte[] derCertificate) {
    return new CertificateFingerprint(algorithm, messageDigest(algorithm).digest(derCertificate));
  }

  /**
   * Whether a DER-encoded certificate has this fingerprint (hashed with this fingerprint's
   * algorithm).
   */
  public boolean matches(byte[] derCertificate) {
    return MessageDigest.isEqual(digest, messageDigest(algorithm).digest(derCertificate));
  }

  /** The attribute value: {@code sha-256 AB:CD:…}. */
  public String toSdp() {
    return algorithm + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
  }

  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertificateFingerprint f
        && f.algorithm.equals(algorithm)
        && MessageDigest.isEqual(f.digest, digest);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return toSdp();
  }

  private static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("unsupported fingerprint hash '" + algorithm + "'");
    }
  }
}
